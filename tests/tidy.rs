//! Checks of the source tree itself, for rules ARCHITECTURE.md states:
//!
//! - no codegen stage imports the orchestrators (`pipeline`, `workspace`), and the import graph of
//!   codegen's top-level modules has no cycle;
//! - no Rust file outside generated code is over [`MAX_LINES`] lines;
//! - the diagnostic codes codegen emits and those `docs/diagnostics.md` lists are the same.
//!
//! The source is read with a small lexer (comments, string and char literals, `quote!` bodies and
//! `#[cfg(test)]` items are not code that imports anything), not with `syn`, so the test builds in
//! a second.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a hand-written Rust file may be.
const MAX_LINES: usize = 800;

/// Files allowed over [`MAX_LINES`] for now, each with why. Remove an entry once its file is split.
const OVER_LIMIT: &[(&str, &str)] = &[(
    "xtask/src/directory.rs",
    "grew past the limit during the fuzz/directory work in progress beside this change: to be split there",
)];

/// Folders whose Rust files are not hand-written or not ours.
const GENERATED: &[&str] = &["generated", "fixture-clients", "target", ".git"];

/// Modules that run the stages, in this order of dependency: `workspace` (the project's specs and
/// releases) may use `pipeline`; no other module may use either.
const ORCHESTRATORS: &[&str] = &["workspace", "pipeline"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_stage_imports_an_orchestrator_and_modules_form_no_cycle() {
    let graph = ModuleGraph::of(&root().join("codegen/src"));
    let problems = graph.problems();
    assert!(problems.is_empty(), "codegen's module imports:\n{}", problems.join("\n"));
}

/// Modules that may read or write files: the loading of specs and overlays, the project's own
/// config and last state, and the writing of the crate.
const FILE_SYSTEM: &[&str] = &["load", "overlay", "workspace", "write"];

/// Modules that may see the `openapiv3` model: the stages up to the IR.
const OPENAPI_MODEL: &[&str] = &["normalise", "parse", "lower"];

#[test]
fn only_load_and_write_touch_files_and_only_the_front_sees_openapiv3() {
    let mut problems = Vec::new();
    for file in codegen_files(&root().join("codegen/src")).iter().filter(|f| !f.is_test) {
        let module = file.path.first().map_or("lib", String::as_str);
        let (std, openapiv3) = Lexed::new(&file.source, Keep::Code).std_modules_and_openapiv3();
        let name = file.path.join("::");
        for io in std.iter().filter(|m| matches!(m.as_str(), "fs" | "io" | "net" | "process" | "env")) {
            if !FILE_SYSTEM.contains(&module) {
                problems.push(format!("`{name}` uses `std::{io}`: only {FILE_SYSTEM:?} do I/O"));
            }
        }
        if openapiv3 && !OPENAPI_MODEL.contains(&module) {
            problems.push(format!("`{name}` names `openapiv3`: past `lower`, stages read only the IR"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_rust_file_is_over_the_limit() {
    let mut files = Vec::new();
    rust_files(&root(), &mut files);
    let mut over = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(root()).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let lines = std::fs::read_to_string(file).map(|text| text.lines().count()).unwrap_or(0);
        if lines > MAX_LINES && !OVER_LIMIT.iter().any(|(path, _)| *path == relative) {
            over.push(format!("{relative}: {lines} lines"));
        }
    }
    assert!(files.len() > 50, "found only {} Rust files: is the walk wrong?", files.len());
    assert!(over.is_empty(), "over {MAX_LINES} lines: split along a seam (see ARCHITECTURE.md):\n{}", over.join("\n"));
}

#[test]
fn every_diagnostic_code_is_documented_and_every_documented_code_exists() {
    let mut in_code = BTreeSet::new();
    for file in codegen_files(&root().join("codegen/src")).iter().filter(|f| !f.is_test) {
        in_code.extend(Lexed::new(&file.source, Keep::Code).strings.into_iter().filter(|s| is_code(s)));
    }
    let doc = std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md");
    let documented = documented_codes(&doc);
    let undocumented: Vec<&String> = in_code.difference(&documented).collect();
    let unused: Vec<&String> = documented.difference(&in_code).collect();
    assert!(in_code.len() > 40, "found only {} codes in codegen: is the lexer wrong?", in_code.len());
    assert!(undocumented.is_empty(), "codes codegen emits that docs/diagnostics.md does not list: {undocumented:?}");
    assert!(unused.is_empty(), "codes docs/diagnostics.md lists that codegen never emits: {unused:?}");
}

/// `E0001`, `W0052`: a diagnostic code.
fn is_code(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5 && matches!(bytes[0], b'E' | b'W') && bytes[1] == b'0' && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// The codes in the first column of the doc's tables.
fn documented_codes(doc: &str) -> BTreeSet<String> {
    doc.lines()
        .filter_map(|line| line.strip_prefix('|')?.split('|').next().map(str::trim))
        .filter(|cell| is_code(cell))
        .map(str::to_owned)
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !GENERATED.contains(&name.as_str()) {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// Which of codegen's top-level modules each one uses, from `crate::`, `super::` and `use` paths.
struct ModuleGraph {
    /// Module to the modules its non-test code uses.
    uses: BTreeMap<String, BTreeSet<String>>,
    /// Module to the orchestrators any of its code (tests included) uses.
    orchestrators: BTreeMap<String, BTreeSet<String>>,
}

impl ModuleGraph {
    fn of(src: &Path) -> Self {
        let lib = std::fs::read_to_string(src.join("lib.rs")).expect("codegen/src/lib.rs");
        let lib = Lexed::new(&lib, Keep::Code);
        let modules = lib.declared_modules();
        let reexports = lib.reexports();
        assert!(modules.len() > 10, "found only {modules:?} in lib.rs: is the lexer wrong?");
        let mut graph = Self { uses: BTreeMap::new(), orchestrators: BTreeMap::new() };
        for SourceFile { path, source, is_test } in codegen_files(src) {
            let Some(top) = path.first().filter(|top| modules.contains(*top)).cloned() else { continue };
            for (keep, all) in [(Keep::Code, is_test), (Keep::Tests, true)] {
                for used in Lexed::new(&source, keep).used_modules(&path, &modules, &reexports) {
                    if used == top {
                        continue;
                    }
                    if ORCHESTRATORS.contains(&used.as_str()) {
                        graph.orchestrators.entry(top.clone()).or_default().insert(used.clone());
                    }
                    if !all {
                        graph.uses.entry(top.clone()).or_default().insert(used);
                    }
                }
            }
        }
        graph
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (module, used) in &self.orchestrators {
            let allowed: &[&str] = match ORCHESTRATORS.iter().position(|o| o == module) {
                Some(i) => &ORCHESTRATORS[i + 1..],
                None => &[],
            };
            for orchestrator in used.iter().filter(|o| !allowed.contains(&o.as_str())) {
                problems.push(format!(
                    "`{module}` uses `{orchestrator}`: stages take what they need from leaf modules \
                     (`options`, `output`, `frontend`, ...), never from the orchestrator"
                ));
            }
        }
        if let Some(cycle) = self.cycle() {
            problems.push(format!("import cycle: {}", cycle.join(" -> ")));
        }
        problems
    }

    /// A cycle of module uses, first module repeated at the end; `None` when there is none.
    fn cycle(&self) -> Option<Vec<String>> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            Open,
            Done,
        }
        fn visit(
            graph: &BTreeMap<String, BTreeSet<String>>,
            module: &str,
            state: &mut BTreeMap<String, State>,
            stack: &mut Vec<String>,
        ) -> Option<Vec<String>> {
            match state.get(module) {
                Some(State::Done) => return None,
                Some(State::Open) => {
                    let start = stack.iter().position(|m| m == module).unwrap_or(0);
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(module.to_owned());
                    return Some(cycle);
                }
                None => {}
            }
            state.insert(module.to_owned(), State::Open);
            stack.push(module.to_owned());
            for next in graph.get(module).into_iter().flatten() {
                if let Some(cycle) = visit(graph, next, state, stack) {
                    return Some(cycle);
                }
            }
            stack.pop();
            state.insert(module.to_owned(), State::Done);
            None
        }
        let mut state = BTreeMap::new();
        self.uses.keys().find_map(|module| visit(&self.uses, module, &mut state, &mut Vec::new()))
    }
}

/// A Rust file of codegen.
struct SourceFile {
    /// Its module, e.g. `emit::client`.
    path: Vec<String>,
    source: String,
    /// Whether it is a `#[cfg(test)] mod tests;` (or inside one): test code throughout.
    is_test: bool,
}

/// Every Rust file under `src`.
fn codegen_files(src: &Path) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    rust_files(src, &mut paths);
    let mut files: Vec<SourceFile> = paths
        .iter()
        .map(|file| {
            let relative = file.strip_prefix(src).expect("under src").to_string_lossy().replace('\\', "/");
            let source = std::fs::read_to_string(file).expect("readable source");
            SourceFile { path: module_path(&relative), source, is_test: false }
        })
        .collect();
    let test_modules: Vec<Vec<String>> = files
        .iter()
        .flat_map(|file| {
            let tests = Lexed::new(&file.source, Keep::Tests).test_modules();
            tests.into_iter().map(|name| [file.path.clone(), vec![name]].concat())
        })
        .collect();
    for file in &mut files {
        file.is_test = test_modules.iter().any(|test| file.path.starts_with(test));
    }
    files
}

/// `emit/client/mod.rs` -> `emit::client`; `lib.rs` -> the crate root.
fn module_path(relative: &str) -> Vec<String> {
    let mut parts: Vec<String> = relative.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Which part of a file to read.
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    /// The code that is compiled into the library: without `#[cfg(test)]` items.
    Code,
    /// Everything, tests included.
    Tests,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Punct(char),
}

/// A file as tokens, without comments, literals and `quote!` bodies (generated code, not ours);
/// the contents of its string literals on the side.
struct Lexed {
    tokens: Vec<Token>,
    strings: Vec<String>,
}

impl Lexed {
    fn new(source: &str, keep: Keep) -> Self {
        let (tokens, strings) = lex(source);
        let tokens = drop_items(tokens, keep);
        // Strings in `#[cfg(test)]` items do not count either: lex again, keeping only what
        // survives. Literals are replaced by a marker token so their order is kept.
        let strings = if keep == Keep::Code {
            let kept: BTreeSet<usize> = tokens
                .iter()
                .filter_map(|t| match t {
                    Token::Ident(s) => s.strip_prefix("\"#").and_then(|n| n.parse().ok()),
                    _ => None,
                })
                .collect();
            strings.into_iter().enumerate().filter(|(i, _)| kept.contains(i)).map(|(_, s)| s).collect()
        } else {
            strings
        };
        let tokens = tokens.into_iter().filter(|t| !matches!(t, Token::Ident(s) if s.starts_with('"'))).collect();
        Self { tokens, strings }
    }

    fn ident(&self, i: usize) -> Option<&str> {
        match self.tokens.get(i) {
            Some(Token::Ident(s)) => Some(s),
            _ => None,
        }
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.tokens.get(i) == Some(&Token::Punct(c))
    }

    /// `a::` at `i` (two `:` tokens).
    fn path_sep(&self, i: usize) -> bool {
        self.punct(i, ':') && self.punct(i + 1, ':')
    }

    /// `mod x;` and `pub mod x;` at the top level of lib.rs.
    fn declared_modules(&self) -> BTreeSet<String> {
        (0..self.tokens.len())
            .filter(|&i| self.ident(i) == Some("mod") && self.punct(i + 2, ';'))
            .filter_map(|i| self.ident(i + 1).map(str::to_owned))
            .collect()
    }

    /// The modules declared `#[cfg(test)] mod name;`, in their own files.
    fn test_modules(&self) -> Vec<String> {
        let cfg_test = ["#", "[", "cfg", "(", "test", ")", "]"];
        let matches = |i: usize, text: &str| match self.tokens.get(i) {
            Some(Token::Ident(s)) => s == text,
            Some(Token::Punct(c)) => text.len() == 1 && text.starts_with(*c),
            None => false,
        };
        let mut out = Vec::new();
        for i in 0..self.tokens.len() {
            if !cfg_test.iter().enumerate().all(|(k, text)| matches(i + k, text)) {
                continue;
            }
            // Other attributes may follow: `#[path = "..."]`, `#[allow(...)]`.
            let mut j = i + cfg_test.len();
            while self.punct(j, '#') && self.punct(j + 1, '[') {
                j += 2;
                let mut depth = 1;
                while j < self.tokens.len() && depth > 0 {
                    match self.tokens[j] {
                        Token::Punct('[') => depth += 1,
                        Token::Punct(']') => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
            }
            if self.ident(j) == Some("pub") {
                j += 1;
            }
            if let (Some("mod"), Some(name), true) = (self.ident(j), self.ident(j + 1), self.punct(j + 2, ';')) {
                out.push(name.to_owned());
            }
        }
        out
    }

    /// `pub use m::{A, B};` and `pub use m::A;` in lib.rs: `A` -> `m`.
    fn reexports(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for i in 0..self.tokens.len() {
            if self.ident(i) != Some("use") || i == 0 || self.ident(i - 1) != Some("pub") {
                continue;
            }
            let Some(module) = self.ident(i + 1) else { continue };
            let mut j = i + 2;
            while j < self.tokens.len() && !self.punct(j, ';') {
                if let Some(name) = self.ident(j).filter(|_| !self.punct(j + 1, ':')) {
                    out.insert(name.to_owned(), module.to_owned());
                }
                j += 1;
            }
        }
        out
    }

    /// The top-level modules that paths in this file (of module `path`) name.
    fn used_modules(
        &self,
        path: &[String],
        modules: &BTreeSet<String>,
        reexports: &BTreeMap<String, String>,
    ) -> BTreeSet<String> {
        let mut used = BTreeSet::new();
        let mut note = |name: &str| {
            if modules.contains(name) {
                used.insert(name.to_owned());
            } else if let Some(module) = reexports.get(name) {
                used.insert(module.clone());
            }
        };
        for i in 0..self.tokens.len() {
            // A path starts at `crate` or at a run of `super`s; not in the middle of one.
            let starts = i < 2 || !self.path_sep(i - 2);
            let at_root = match self.ident(i) {
                Some("crate") if starts => Some(i + 1),
                Some("super") if starts => {
                    let mut j = i;
                    let mut depth = path.len();
                    while self.ident(j) == Some("super") && self.path_sep(j + 1) {
                        depth = depth.saturating_sub(1);
                        j += 3;
                    }
                    if depth == 0 {
                        Some(j - 2)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            let Some(sep) = at_root.filter(|&sep| self.path_sep(sep)) else { continue };
            self.next_segments(sep).iter().for_each(|name| note(name));
        }
        used
    }

    /// The names after the `::` at `sep`: `a` in `::a::X`, `a` and `b` in `::{a::X, b}`.
    fn next_segments(&self, sep: usize) -> Vec<&str> {
        if let Some(name) = self.ident(sep + 2) {
            return vec![name];
        }
        let mut names = Vec::new();
        if self.punct(sep + 2, '{') {
            let mut j = sep + 3;
            let mut depth = 0;
            let mut first = true;
            while j < self.tokens.len() && !(depth == 0 && self.punct(j, '}')) {
                match &self.tokens[j] {
                    Token::Punct('{') => depth += 1,
                    Token::Punct('}') => depth -= 1,
                    Token::Punct(',') if depth == 0 => first = true,
                    Token::Ident(name) if first && depth == 0 => {
                        names.push(name.as_str());
                        first = false;
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        names
    }

    /// The modules of `std` this file names (`fs` in `std::fs::read`, `use std::{fs, io}`), and
    /// whether it names the `openapiv3` crate.
    fn std_modules_and_openapiv3(&self) -> (BTreeSet<String>, bool) {
        let mut std = BTreeSet::new();
        let mut openapiv3 = false;
        for i in 0..self.tokens.len() {
            match self.ident(i) {
                Some("std") if self.path_sep(i + 1) => {
                    std.extend(self.next_segments(i + 1).into_iter().map(str::to_owned))
                }
                Some("openapiv3") => openapiv3 = true,
                _ => {}
            }
        }
        (std, openapiv3)
    }
}

/// Tokens of `source`: identifiers (string literals become an identifier `"#N`, N their index
/// in the strings returned) and single punctuation characters. Comments, char literals, lifetimes
/// and numbers are dropped.
fn lex(source: &str) -> (Vec<Token>, Vec<String>) {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut strings = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if string_start(&chars, i).is_some() {
            let (text, end) = string_literal(&chars, i);
            tokens.push(Token::Ident(format!("\"#{}", strings.len())));
            strings.push(text);
            i = end;
        } else if c == '\'' {
            // A char literal (`'x'`, `'\n'`, `'\u{1F}'`) or a lifetime (`'a`).
            if next == Some('\\') {
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            if !c.is_ascii_digit() {
                tokens.push(Token::Ident(chars[start..i].iter().collect()));
            }
        } else {
            if !c.is_whitespace() {
                tokens.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    (tokens, strings)
}

/// Where a string literal starts at `i` (`"`, `b"`, `r"`, `r#"`, `br##"`): the number of `#`s of a
/// raw string (`None` for one with escapes) and the index of its opening quote.
fn string_start(chars: &[char], i: usize) -> Option<(Option<usize>, usize)> {
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) == Some(&'"') {
        return Some((None, j));
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = chars[j..].iter().take_while(|&&c| c == '#').count();
    (chars.get(j + hashes) == Some(&'"')).then_some((Some(hashes), j + hashes))
}

/// The contents of the string literal at `i` and the index after it.
fn string_literal(chars: &[char], i: usize) -> (String, usize) {
    let Some((raw, open)) = string_start(chars, i) else { return (String::new(), i + 1) };
    let mut text = String::new();
    let mut j = open + 1;
    while j < chars.len() {
        match raw {
            Some(hashes) if chars[j] == '"' && chars[j + 1..].iter().take_while(|&&c| c == '#').count() >= hashes => {
                return (text, j + 1 + hashes);
            }
            None if chars[j] == '"' => return (text, j + 1),
            None if chars[j] == '\\' => j += 1,
            _ => {}
        }
        if let Some(&c) = chars.get(j) {
            text.push(c);
        }
        j += 1;
    }
    (text, j)
}

/// `tokens` without `quote!` bodies and, for [`Keep::Code`], without `#[cfg(test)]` items.
fn drop_items(tokens: Vec<Token>, keep: Keep) -> Vec<Token> {
    let is = |i: usize, want: &[Token]| tokens.get(i..i + want.len()) == Some(want);
    let ident = |s: &str| Token::Ident(s.to_owned());
    let cfg_test = [
        Token::Punct('#'),
        Token::Punct('['),
        ident("cfg"),
        Token::Punct('('),
        ident("test"),
        Token::Punct(')'),
        Token::Punct(']'),
    ];
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if keep == Keep::Code && is(i, &cfg_test) {
            // The item it applies to ends at a `;` or a closed `{ }`, outside brackets.
            let mut j = i + cfg_test.len();
            let mut depth = 0usize;
            while j < tokens.len() {
                match tokens[j] {
                    Token::Punct('{' | '(' | '[') => depth += 1,
                    Token::Punct('}') if depth == 1 => {
                        j += 1;
                        break;
                    }
                    Token::Punct('}' | ')' | ']') => depth = depth.saturating_sub(1),
                    Token::Punct(';') if depth == 0 => {
                        j += 1;
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
            i = j;
        } else if is(i, &[ident("quote"), Token::Punct('!')]) {
            out.push(tokens[i].clone());
            let mut j = i + 2;
            let mut depth = 0usize;
            while j < tokens.len() {
                match tokens[j] {
                    Token::Punct('{' | '(' | '[') => depth += 1,
                    Token::Punct('}' | ')' | ']') => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            j += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            i = j;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

#[test]
fn the_lexer_sees_paths_and_skips_what_is_not_code() {
    let source = r##"
        use crate::ir::{Api, TypeRef};
        use crate::{diagnostics::Diagnostic, naming};
        use super::super::options::Layout;
        // use crate::comment;
        /* crate::block /* nested */ */
        const S: &str = "crate::string E0999";
        const R: &str = r#"crate::raw "quoted""#;
        fn f<'a>(c: char) -> bool { c == '{' || c == '\'' }
        fn g() { quote!(crate::runtime::X); let _ = crate::Severity::Error; }
        const CODE: &str = "W0001";
        #[cfg(test)]
        mod tests { use crate::pipeline::lower_document; const T: &str = "E0101"; }
    "##;
    let modules: BTreeSet<String> =
        ["ir", "diagnostics", "lines", "naming", "options", "runtime", "pipeline", "comment", "block", "string", "raw"]
            .map(str::to_owned)
            .into();
    let reexports = BTreeMap::from([("Severity".to_owned(), "lines".to_owned())]);
    let path = ["emit".to_owned(), "client".to_owned()];
    let code = Lexed::new(source, Keep::Code);
    let used: Vec<String> = code.used_modules(&path, &modules, &reexports).into_iter().collect();
    assert_eq!(used, ["diagnostics", "ir", "lines", "naming", "options"]);
    assert_eq!(code.strings, ["crate::string E0999", "crate::raw \"quoted\"", "W0001"]);
    let all = Lexed::new(source, Keep::Tests);
    assert!(all.used_modules(&path, &modules, &reexports).contains("pipeline"));
    assert!(all.strings.contains(&"E0101".to_owned()));
}

#[test]
fn a_cycle_is_found_and_named() {
    let edges = |pairs: &[(&str, &str)]| {
        let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in pairs {
            uses.entry((*from).to_owned()).or_default().insert((*to).to_owned());
        }
        ModuleGraph { uses, orchestrators: BTreeMap::new() }
    };
    let cycle = edges(&[("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]).cycle();
    assert_eq!(cycle.map(|c| c.join(" -> ")), Some("a -> b -> c -> a".to_owned()));
    assert_eq!(edges(&[("a", "b"), ("b", "c"), ("a", "c")]).cycle(), None);
}
