//! Embeds the built-in theme (the repo's `templates/` and `static/`) into the binary, so `dyad`
//! works on any archive folder. Generates `$OUT_DIR/theme.rs` with two sorted lists.

use std::fmt::Write as _;
use std::path::Path;

fn files(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        if path.is_dir() {
            files(&path, &format!("{rel}/"), out);
        } else if !name.ends_with('~') && !name.starts_with(".#") && !name.ends_with(".swp") {
            out.push((rel, path.canonicalize().unwrap().display().to_string()));
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut code = String::new();
    for (konst, dir, macro_name) in [
        ("TEMPLATES", "templates", "include_str"),
        ("STATIC", "static", "include_bytes"),
    ] {
        println!("cargo:rerun-if-changed={dir}");
        let mut list = Vec::new();
        files(&root.join(dir), "", &mut list);
        list.sort();
        let ty = if macro_name == "include_str" {
            "&str"
        } else {
            "&[u8]"
        };
        writeln!(code, "/// The built-in `{dir}/` files: (name, content).").unwrap();
        writeln!(code, "pub(crate) const {konst}: &[(&str, {ty})] = &[").unwrap();
        for (rel, path) in list {
            writeln!(code, "    ({rel:?}, {macro_name}!({path:?})),").unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out).join("theme.rs"), code).unwrap();
}
