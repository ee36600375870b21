//! One abstract file: decoding, front-matter split, YAML, field reading and validation into the model.
//!
//! Asserts: no panic; a file without errors gives exactly one work; every diagnostic about the
//! file points at a line that exists in it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, out) = dyad::fuzzing::abstract_file(data);
    let Some(text) = text else {
        // Not UTF-8: one error, pointing into the file.
        assert!(out.parse.len() == 1 && out.parse[0].is_error());
        return;
    };
    let errors = out
        .parse
        .iter()
        .chain(&out.assemble)
        .filter(|d| d.is_error())
        .count();
    if errors == 0 {
        assert!(out.has_record, "no errors but no record");
        assert_eq!(out.works, 1, "no errors but {} works", out.works);
    }
    let lines = text.split('\n').count() as u32;
    for d in out.parse.iter().chain(&out.assemble) {
        if d.path == "content/abstracts/fuzz.md"
            && let Some(span) = d.span
        {
            assert!(
                span.line >= 1 && span.line <= lines,
                "{}: line {} of a {lines}-line file",
                d.message,
                span.line
            );
        }
    }
});
