//! The archive model.

pub(crate) mod dates;
pub(crate) mod periods;
pub(crate) mod slug;
