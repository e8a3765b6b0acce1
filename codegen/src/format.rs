//! Stage 6: tokens into formatted source with prettyplease.

use crate::diagnostics::Diagnostic;
use crate::part::Part;
use proc_macro2::TokenStream;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Formats one file of generated Rust, headed by `header`.
pub fn rust_file(header: &str, tokens: TokenStream, what: &str) -> Result<String, Diagnostic> {
    Ok(join_spaced(header, &[space_items(&items_text(tokens, what)?)]))
}

/// One generated file in parts: its header, its parts in order, and what it is (for errors).
pub struct PartedFile<'a> {
    pub header: String,
    pub parts: Vec<Part<'a>>,
    pub what: &'static str,
}

/// Formats files made of parts, spreading the parts over the machine's cores (each part builds
/// its tokens on the thread that formats them). The text of a file is the same as formatting all
/// its tokens in one go, on any number of threads.
pub fn rust_files(files: &[PartedFile<'_>]) -> Result<Vec<String>, Diagnostic> {
    let jobs: Vec<(usize, &Part<'_>)> =
        files.iter().enumerate().flat_map(|(file, f)| f.parts.iter().map(move |part| (file, part))).collect();
    let weights: Vec<usize> = jobs.iter().map(|(_, part)| part.weight).collect();
    let texts = parallel_map(&jobs, &weights, |(file, part)| {
        items_text((part.build)(), files[*file].what).map(|text| space_items(&text))
    });
    let mut texts = texts.into_iter();
    files
        .iter()
        .map(|file| {
            let parts = texts.by_ref().take(file.parts.len()).collect::<Result<Vec<_>, _>>()?;
            Ok(join_spaced(&file.header, &parts))
        })
        .collect()
}

/// Stack of each formatting thread.
const FORMAT_STACK: usize = 16 << 20;

/// `f` over `items` on up to as many threads as the machine has cores, heaviest first (by
/// `weights`); results in item order.
fn parallel_map<T: Sync, R: Send>(items: &[T], weights: &[usize], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weights.get(i).copied().unwrap_or(0)));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) else { break done };
            done.push((i, f(&items[i])));
        }
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        // syn and prettyplease recurse once per nesting level of the generated code: a legal
        // 124-deep schema overflows the default 2 MiB of a spawned thread.
        let workers: Vec<_> = (0..threads)
            .filter_map(|_| std::thread::Builder::new().stack_size(FORMAT_STACK).spawn_scoped(scope, work).ok())
            .collect();
        // When no thread could be spawned, the work is done here.
        let here = if workers.is_empty() { work() } else { Vec::new() };
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .chain(here)
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// The items of `tokens`, printed one at a time.
///
/// Each item's syntax tree is printed and dropped before the next is parsed, so memory holds the
/// tree of one item rather than of the whole file (for Stripe's types, 150,000 lines, that is most
/// of the generator's peak). The text is the same as printing the whole file.
fn items_text(tokens: TokenStream, what: &str) -> Result<String, Diagnostic> {
    let mut text = String::new();
    let print = |text: &mut String, attrs: Vec<syn::Attribute>, items: Vec<syn::Item>| {
        text.push_str(&prettyplease::unparse(&syn::File { shebang: None, attrs, items }));
    };
    let parser = |input: syn::parse::ParseStream<'_>| {
        let attrs = input.call(syn::Attribute::parse_inner)?;
        if !attrs.is_empty() {
            print(&mut text, attrs, Vec::new());
        }
        while !input.is_empty() {
            match input.parse()? {
                syn::Item::Macro(mac) if is_listing_macro(&mac.mac.path) => text.push_str(&listing_macro(mac)),
                item => print(&mut text, Vec::new(), vec![item]),
            }
        }
        Ok(())
    };
    syn::parse::Parser::parse2(parser, tokens).map_err(|e| {
        Diagnostic::error("E0900", "#", format!("internal error: generated {what} is not valid Rust: {e}"))
    })?;
    Ok(text)
}

/// The runtime's macros whose bodies are lists (`object_serde!`, `string_enum!`): prettyplease fills
/// macro bodies like prose, so [`listing_macro`] prints them one entry per line.
fn is_listing_macro(path: &syn::Path) -> bool {
    path.segments.last().is_some_and(|segment| segment.ident == "object_serde" || segment.ident == "string_enum")
}

/// A listing macro item: its attributes and path as prettyplease prints them, then its body with
/// one entry per line, braces opening blocks as in rustfmt's style.
fn listing_macro(mut item: syn::ItemMacro) -> String {
    let body = std::mem::take(&mut item.mac.tokens);
    let head =
        prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![syn::Item::Macro(item)] });
    let head = head.trim_end().strip_suffix("{}").unwrap_or(&head).trim_end();
    let mut out = format!("{head} {{\n");
    print_listing(body, 1, &mut out);
    out.push_str("}\n");
    out
}

/// Prints `tokens` at `depth`: a brace group opens a block, a comma or semicolon ends a line.
fn print_listing(tokens: TokenStream, depth: usize, out: &mut String) {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let indent = "    ".repeat(depth);
    let mut line = String::new();
    let mut glued = true; // no space before the next token
    let flush = |line: &mut String, out: &mut String| {
        if !line.is_empty() {
            out.push_str(&indent);
            out.push_str(line);
            out.push('\n');
            line.clear();
        }
    };
    for token in tokens {
        match token {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                line.push_str(if line.is_empty() { "{" } else { " {" });
                flush(&mut line, out);
                print_listing(group.stream(), depth + 1, out);
                out.push_str(&indent);
                out.push_str("}\n");
                glued = true;
            }
            TokenTree::Group(group) if group.delimiter() == Delimiter::Parenthesis => {
                line.push_str(&group.to_string());
                glued = false;
            }
            TokenTree::Punct(punct) if matches!(punct.as_char(), ',' | ';') => {
                line.push(punct.as_char());
                flush(&mut line, out);
                glued = true;
            }
            TokenTree::Punct(punct)
                if punct.as_char() == ':' && punct.spacing() == Spacing::Alone && !line.ends_with(':') =>
            {
                line.push_str(": ");
                glued = true;
            }
            TokenTree::Punct(punct) => {
                let joint = punct.spacing() == Spacing::Joint || punct.as_char() == ':';
                if !glued && !joint {
                    line.push(' ');
                }
                line.push(punct.as_char());
                glued = joint;
                if !joint {
                    line.push(' ');
                    glued = true;
                }
            }
            other => {
                if !glued {
                    line.push(' ');
                }
                line.push_str(&other.to_string());
                glued = false;
            }
        }
    }
    flush(&mut line, out);
}

/// The header, then parts already spaced on their own, with the blank line [`space_items`] would
/// put where one part ends and the next begins.
fn join_spaced(header: &str, parts: &[String]) -> String {
    let mut out = String::with_capacity(header.len() + 1 + parts.iter().map(|p| p.len() + 1).sum::<usize>());
    out.push_str(header);
    out.push('\n');
    let mut last_line: Option<&str> = None;
    for part in parts.iter().filter(|p| !p.is_empty()) {
        if let (Some(previous), Some(first)) = (last_line, part.lines().next()) {
            if starts_after(previous, first) {
                out.push('\n');
            }
        }
        out.push_str(part);
        last_line = part.lines().next_back();
    }
    out
}

/// prettyplease puts items back to back; a blank line after each item that ends reads better.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if previous.is_some_and(|prev| starts_after(prev, line)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// Whether `line` starts an item right after the item that `prev` ends, at the same (outer) level.
fn starts_after(prev: &str, line: &str) -> bool {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "impl",
        "const ",
        "fn ",
        "struct ",
        "enum ",
        "type ",
        "mod ",
        "async fn",
        "crate::runtime::",
    ];
    let prev_trimmed = prev.trim_start();
    let ends_item = prev_trimmed == "}"
        || (prev_trimmed.ends_with(';') && !prev_trimmed.starts_with("use ") && !prev_trimmed.starts_with("//"));
    if !ends_item {
        return false;
    }
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    indent <= 4 && indent == prev.len() - prev_trimmed.len() && ITEM_STARTS.iter().any(|s| trimmed.starts_with(s))
}

/// The one-line header of every generated file, as a comment in `comment` syntax. The command
/// and the sources (spec paths, which may hold any character) go through
/// [`crate::sanitise::comment_text`], so the header is always one line of comment.
pub fn header(comment: &str, command: &str, sources: &[&str]) -> String {
    let sources: Vec<_> = sources.iter().map(|s| crate::sanitise::comment_text(s)).collect();
    let command = crate::sanitise::comment_text(command);
    format!("{comment} {HEADER_START}{command}` from {}{HEADER_END}", sources.join(", "))
}

const HEADER_START: &str = "@generated by `";
const HEADER_END: &str = ". Do not edit by hand.";

/// Every command this generator names in its headers starts so (`cargo xtask codegen`,
/// `cargo xtask codegen --spec FILE`, `cargo xtask corpus --directory`).
const OWN_COMMAND: &str = "cargo xtask ";

/// Whether `line` is a header [`header`] writes, as the generated files hold it: `// ...`,
/// `# ...`, `<!-- ... -->` or a spec snapshot's `"x-generated-by": "..."` line. Other tools'
/// `@generated` headers are not: the writer overwrites and deletes only files headed so.
pub fn is_own_header(line: &str) -> bool {
    header_kind(line).is_some()
}

/// For one of our headers ([`is_own_header`]), the kind of generation that wrote the file: its
/// command without the spec path (`cargo xtask codegen`, `cargo xtask codegen --spec`,
/// `cargo xtask corpus --directory`). A standalone crate (`--spec`) may replace files of another
/// standalone crate, never those of the project's crate, and the other way round.
pub fn header_kind(line: &str) -> Option<&str> {
    let body = line
        .strip_prefix("// ")
        .or_else(|| line.strip_prefix("# "))
        .or_else(|| line.strip_prefix("<!-- ").and_then(|r| r.strip_suffix(" -->")))
        .or_else(|| line.trim_start().strip_prefix("\"x-generated-by\": \"").and_then(|r| r.strip_suffix("\",")))?;
    let command = body.strip_prefix(HEADER_START)?.strip_suffix(HEADER_END)?;
    if !command.starts_with(OWN_COMMAND) {
        return None;
    }
    // The spec path comes last in the command and may hold anything, "` from " included.
    const SPEC: &str = " --spec ";
    match command.find(SPEC) {
        Some(at) => Some(&command[..at + SPEC.len() - 1]),
        None => command.split_once("` from ").map(|(command, _)| command),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn headers_are_one_line_and_recognised() {
        for (comment, suffix) in [("//", ""), ("#", ""), ("<!--", " -->")] {
            let line = format!("{}{suffix}", header(comment, "cargo xtask codegen --spec a\nb", &["a\nb", "c"]));
            assert_eq!(line.lines().count(), 1, "{line}");
            assert!(is_own_header(&line), "{line}");
        }
        let json = format!("  \"x-generated-by\": {:?},", header("", "cargo xtask codegen", &["s.yaml"]).trim_start());
        assert!(is_own_header(&json), "{json}");
        for foreign in [
            "// @generated by `other-tool` from x. Do not edit by hand.",
            "// @generated by `cargo xtask codegen`",
            "fn main() {}",
        ] {
            assert!(!is_own_header(foreign), "{foreign}");
        }
        assert_eq!(header_kind(&header("//", "cargo xtask codegen", &["a` from b"])), Some("cargo xtask codegen"));
        let standalone = header("#", "cargo xtask codegen --spec a` from b", &["a` from b"]);
        assert_eq!(header_kind(&standalone), Some("cargo xtask codegen --spec"));
    }

    #[test]
    fn formats_with_header_and_doc_comments() {
        let out = rust_file("// h", quote! { #[doc = " Hi."] pub struct A; }, "test").unwrap();
        assert_eq!(out, "// h\n/// Hi.\npub struct A;\n");
    }

    #[test]
    fn items_are_separated_by_blank_lines() {
        let out =
            rust_file("// h", quote! { pub struct A; pub struct B { x: u8 } impl B { fn f() {} fn g() {} } }, "test")
                .unwrap();
        assert_eq!(
            out,
            "// h\npub struct A;\n\npub struct B {\n    x: u8,\n}\n\nimpl B {\n    fn f() {}\n    fn g() {}\n}\n"
        );
    }

    #[test]
    fn parts_format_as_the_whole_file_does_on_any_thread() {
        // Tokens cannot cross threads: each part parses its own from text.
        let pieces = [
            "#![doc = \" Module.\"]",
            "pub struct A; impl A { fn f() {} }",
            "const C: u8 = 1;",
            "pub enum E { V } pub struct B { x: u8 }",
        ];
        let tokens = |source: &str| source.parse::<TokenStream>().unwrap();
        let whole = rust_file("// h", pieces.iter().map(|p| tokens(p)).collect(), "test").unwrap();
        // Weights out of order, so the parts are started out of order too.
        let parts = pieces
            .iter()
            .enumerate()
            .map(|(i, source)| Part { weight: i % 3, build: Box::new(move || tokens(source)) });
        let parted = PartedFile { header: "// h".into(), parts: parts.collect(), what: "test" };
        assert_eq!(rust_files(&[parted]).unwrap(), [whole]);
    }

    #[test]
    fn listing_macros_print_one_entry_per_line_after_their_attributes() {
        let tokens = quote! {
            pub struct A;
            #[cfg(feature = "pets")]
            crate::runtime::object_serde! {
                A { required { id: "id", r#type: "type", } optional { size: "size", } extra { more } presence { presence } }
                serialize(feature = "mock");
                deserialize;
            }
            crate::runtime::other! { A { b: "b", } }
        };
        let out = rust_file("// h", tokens, "test").unwrap();
        let expected = "// h\npub struct A;\n\n#[cfg(feature = \"pets\")]\ncrate::runtime::object_serde! {\n    A {\n        \
            required {\n            id: \"id\",\n            r#type: \"type\",\n        }\n        optional {\n            \
            size: \"size\",\n        }\n        extra {\n            more\n        }\n        presence {\n            presence\n        }\n    }\n    \
            serialize(feature = \"mock\");\n    deserialize;\n}\n\ncrate::runtime::other! {\n    A { b : \"b\", }\n}\n";
        assert_eq!(out, expected);
    }

    #[test]
    fn invalid_tokens_are_an_error_not_a_panic() {
        assert_eq!(rust_file("// h", quote! { pub struct }, "test").unwrap_err().code, "E0900");
    }
}
