//! `dyad import`'s readers on random BibTeX, RIS and CSL-JSON.
//!
//! The first byte picks the format (`b` BibTeX, `r` RIS, `j` CSL-JSON; any other byte: its
//! value modulo 3), the rest is the export. Asserts: no panic; every record with a title is
//! written as an abstract file that reads back without errors and with the same title.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = match first {
        b'b' => 0,
        b'r' => 1,
        b'j' => 2,
        other => usize::from(other),
    };
    let (_problems, imported) = dyad::fuzzing::import(format, text);
    for i in imported {
        assert!(
            i.errors.is_empty(),
            "the file written for {:?} does not read back: {:?}\n{}",
            i.title,
            i.errors,
            i.text
        );
        assert_eq!(
            i.read_back_title.as_deref(),
            Some(i.title.as_str()),
            "title changed on the way through\n{}",
            i.text
        );
    }
});
