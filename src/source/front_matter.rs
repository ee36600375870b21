//! Splitting a source file into its YAML front matter and its Markdown body.
//!
//! A file starts with a `---` line, then YAML, then a closing `---` (or `...`) line, then the
//! body. We remember the line where the YAML starts and the line where the body starts, so that
//! every later finding can point into the file. Does not parse YAML or Markdown.

/// The two parts of a source file, borrowed from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML text between the fences.
    pub yaml: &'a str,
    /// 1-based line of the file where `yaml` starts.
    pub yaml_line: u32,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: u32,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitError {
    /// 1-based line the problem is reported at.
    pub line: u32,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

fn is_fence(line: &str, closing: bool) -> bool {
    let l = line.trim_end_matches(['\n', '\r', ' ', '\t']);
    l == "---" || (closing && l == "...")
}

/// Splits `text` (already without a byte-order mark) at its front-matter fences. CRLF line
/// endings are accepted.
pub(crate) fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first, false) {
        const HELP: &str = "start the file with `---`, the YAML fields, and another `---` line";
        let (message, help) = if text.trim().is_empty() {
            (
                "the file is empty: it has no front matter".to_string(),
                HELP.to_string(),
            )
        } else if first.trim_end() == "+++" {
            (
                "front matter in TOML (`+++`, as Hugo and Zola write it) is not read: dyad's is YAML".to_string(),
                "write the fields in YAML between `---` lines (`title = \"…\"` becomes `title: \"…\"`)".to_string(),
            )
        } else if first.trim().is_empty() && text.trim_start().starts_with("---") {
            let blank = text.len() - text.trim_start().len();
            let lines = text[..blank].matches('\n').count();
            (
                format!(
                    "the `---` line must be the file's first line; {lines} blank line(s) come before it"
                ),
                "remove the blank lines above `---`".to_string(),
            )
        } else {
            (
                "missing front matter: the file must start with a `---` line".to_string(),
                HELP.to_string(),
            )
        };
        return Err(SplitError {
            line: 1,
            message,
            help,
        });
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1u32;
    for line in lines {
        line_no += 1;
        if is_fence(line, true) {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        line: 1,
        message: "front matter is not closed: no `---` line after the opening one".into(),
        help: "add a line `---` after the last YAML field, before the abstract text".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: x\ndate: 2019\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: x\ndate: 2019\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn accepts_crlf_and_dots() {
        let s = split("---\r\ntitle: x\r\n...\r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn empty_body_and_empty_yaml() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
        assert_eq!(s.body_line, 3);
    }

    #[test]
    fn a_missing_fence_says_what_the_file_has_instead() {
        let message = |t: &str| split(t).unwrap_err().message;
        assert_eq!(message(""), "the file is empty: it has no front matter");
        assert_eq!(
            message(" \n\n"),
            "the file is empty: it has no front matter"
        );
        assert!(message("+++\ntitle = \"T\"\n+++\n").starts_with("front matter in TOML"));
        assert_eq!(
            message("\n\n---\ntitle: T\n---\n"),
            "the `---` line must be the file's first line; 2 blank line(s) come before it"
        );
    }

    #[test]
    fn missing_fences() {
        assert!(
            split("title: x\n")
                .unwrap_err()
                .message
                .contains("missing front matter")
        );
        assert!(
            split("---\ntitle: x\n")
                .unwrap_err()
                .message
                .contains("not closed")
        );
    }

    #[test]
    fn a_dashed_line_in_the_body_is_not_a_fence() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }
}
