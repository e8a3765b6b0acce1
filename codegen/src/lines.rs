//! The line a JSON pointer points at in YAML (or pretty-printed JSON) source, for diagnostics.
//!
//! serde_yaml keeps no positions, so this follows the pointer through the text by indentation:
//! exact for block-style YAML (what specs use); for flow style it gives the deepest line it can.

use std::collections::HashMap;

/// 1-based line of `pointer` (`#/a/b~1c/0`) in `text`, or of its deepest ancestor found.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    LineIndex::new(text).line_of(pointer)
}

/// [`line_of`] for many pointers into one text, in time linear in the text: it is split into
/// lines once, and the lines of each node are scanned at most once, however many pointers pass
/// through it (every diagnostic under `#/paths` would otherwise rescan all that comes before).
pub struct LineIndex<'a> {
    lines: Vec<&'a str>,
    /// Per node (its line and indent): the keys found among its lines so far.
    blocks: HashMap<(usize, isize), Block<'a>>,
}

/// How far one node's lines have been scanned, and the first line of each key seen.
#[derive(Default)]
struct Block<'a> {
    next: Option<usize>,
    ended: bool,
    keys: HashMap<&'a str, (usize, isize)>,
}

impl<'a> LineIndex<'a> {
    /// Splits `text` into lines.
    pub fn new(text: &'a str) -> Self {
        Self { lines: text.lines().collect(), blocks: HashMap::new() }
    }

    /// 1-based line of `pointer` (`#/a/b~1c/0`), or of its deepest ancestor found.
    pub fn line_of(&mut self, pointer: &str) -> Option<usize> {
        let tokens =
            pointer.trim_start_matches('#').split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~"));
        let mut cursor = 0usize; // the line where the current node starts
        let mut parent_indent: isize = -1; // children are indented deeper than this
        let mut found = None;
        for token in tokens {
            let next = match token.parse::<usize>() {
                Ok(index) => sequence_item(&self.lines, cursor, parent_indent, index),
                Err(_) => None,
            }
            .or_else(|| self.mapping_key(cursor, parent_indent, &token));
            match next {
                Some((line, indent)) => {
                    found = Some(line + 1);
                    cursor = line;
                    parent_indent = indent;
                }
                None => break,
            }
        }
        found
    }

    /// The line of `key:` among the children of the node at `start`, and the key's column.
    fn mapping_key(&mut self, start: usize, parent_indent: isize, key: &str) -> Option<(usize, isize)> {
        let lines = &self.lines;
        let block = self.blocks.entry((start, parent_indent)).or_default();
        if let Some(found) = block.keys.get(key) {
            return Some(*found);
        }
        if block.ended {
            return None;
        }
        let first = block.next.unwrap_or(if parent_indent < 0 { start } else { start + 1 });
        for (offset, line) in lines.iter().enumerate().skip(first) {
            block.next = Some(offset + 1);
            if !is_content(line) {
                continue;
            }
            let indent = indent_of(line) as isize;
            if indent <= parent_indent && offset > start {
                block.ended = true;
                break;
            }
            // A key may follow a sequence dash (`- name: x`): its column is after the dash.
            let mut content = line.trim_start();
            let mut column = indent;
            while let Some(rest) = content.strip_prefix("- ") {
                column += 2 + (rest.len() - rest.trim_start().len()) as isize;
                content = rest.trim_start();
            }
            if column <= parent_indent {
                continue;
            }
            for candidate in key_candidates(content) {
                block.keys.entry(candidate).or_insert((offset, column));
            }
            if let Some(found) = block.keys.get(key) {
                return Some(*found);
            }
        }
        None
    }
}

/// The keys a line can start with: the text before the first `: ` (or a `:` ending the line), and
/// a quoted key followed by `:` (`"key":`, `'key':`). At most two per line, each hashed once, so a
/// minified one-line document costs time linear in its size (hashing every prefix before every
/// colon was quadratic).
fn key_candidates(content: &str) -> impl Iterator<Item = &str> {
    let bytes = content.as_bytes();
    let plain = content
        .match_indices(':')
        .find(|(at, _)| bytes.get(at + 1).is_none_or(|b| b.is_ascii_whitespace()))
        .map(|(at, _)| &content[..at]);
    let quoted = match bytes.first() {
        Some(&quote @ (b'"' | b'\'')) => {
            let mut escaped = false;
            let close = bytes.iter().enumerate().skip(1).find(|&(_, &b)| {
                let closes = b == quote && !escaped;
                escaped = quote == b'"' && b == b'\\' && !escaped;
                closes
            });
            close
                .filter(|&(at, _)| bytes[at + 1..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':'))
                .map(|(at, _)| &content[1..at])
        }
        _ => None,
    };
    plain.into_iter().chain(quoted)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_content(line: &str) -> bool {
    let trimmed = line.trim_start();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}

/// The line of the `index`-th `- ` item under the node at `start`, and the item's content column.
fn sequence_item(lines: &[&str], start: usize, parent_indent: isize, index: usize) -> Option<(usize, isize)> {
    let mut item_indent = None;
    let mut seen = 0;
    for (offset, line) in lines.iter().enumerate().skip(start + 1) {
        if !is_content(line) {
            continue;
        }
        let indent = indent_of(line);
        if (indent as isize) < parent_indent
            || (indent as isize == parent_indent && !line.trim_start().starts_with("- "))
        {
            return None;
        }
        if !line.trim_start().starts_with("- ") {
            continue;
        }
        let expected = *item_indent.get_or_insert(indent);
        if indent != expected {
            continue;
        }
        if seen == index {
            return Some((offset, indent as isize + 1));
        }
        seen += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const SPEC: &str = "\
openapi: 3.0.0
info:
  title: t
paths:
  /v1/accounts/{id}:
    put:
      parameters:
        - name: id
          in: path
        - name: q
          in: query
      responses:
        '200':
          description: ok
";

    #[test]
    fn finds_keys_escaped_tokens_and_sequence_items() {
        assert_eq!(line_of(SPEC, "#/info/title"), Some(3));
        assert_eq!(line_of(SPEC, "#/paths/~1v1~1accounts~1{id}/put"), Some(6));
        assert_eq!(line_of(SPEC, "#/paths/~1v1~1accounts~1{id}/put/parameters/1"), Some(10));
        assert_eq!(line_of(SPEC, "#/paths/~1v1~1accounts~1{id}/put/parameters/1/in"), Some(11));
        assert_eq!(line_of(SPEC, "#/paths/~1v1~1accounts~1{id}/put/responses/200/description"), Some(14));
    }

    #[test]
    fn a_missing_key_gives_the_deepest_ancestor() {
        assert_eq!(line_of(SPEC, "#/paths/~1v1~1accounts~1{id}/get"), Some(5));
        assert_eq!(line_of(SPEC, "#/nothing"), None);
    }

    #[test]
    fn keys_are_not_matched_outside_their_parent() {
        // `title` exists only under info, not under paths.
        assert_eq!(line_of(SPEC, "#/paths/title"), Some(4));
    }

    #[test]
    fn pretty_json_keys_are_found() {
        let json = "{\n  \"info\": {\n    \"title\": \"t\"\n  },\n  \"paths\": {}\n}\n";
        assert_eq!(line_of(json, "#/info/title"), Some(3));
        assert_eq!(line_of(json, "#/paths"), Some(5));
    }

    #[test]
    fn keys_with_colons_and_quotes_are_found() {
        let yaml = "paths:\n  /v1/{name}:cancel:\n    post: {}\n  \"/a:b\": {}\n  'it''s': 1\n";
        assert_eq!(line_of(yaml, "#/paths/~1v1~1{name}:cancel/post"), Some(3));
        assert_eq!(line_of(yaml, "#/paths/~1a:b"), Some(4));
    }

    #[test]
    fn a_minified_document_gives_no_line() {
        // The pointer locates the problem; line 1 of a one-line file would say nothing more.
        let json = r#"{"openapi":"3.0.0","paths":{"/a":{"get":{"operationId":"x"}}}}"#;
        assert_eq!(line_of(json, "#/paths/~1a/get"), None);
        // Many colons on one line: each line yields at most two keys, however long it is.
        let long = format!("{{{}\"k\":1}}", "\"a\":1,".repeat(200_000));
        assert_eq!(line_of(&long, "#/k"), None);
    }
}
