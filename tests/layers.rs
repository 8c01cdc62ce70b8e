//! The source tree's shape, read from its `use` lines and paths: every module imports only from
//! the floors below its own, no file takes part in an import circle, nothing the kiosk's flow
//! (`src/app`) reaches names the UI toolkit, and no source file grows past what a reader holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floors, lowest first; the README's "Development" section shows the same table.
const FLOORS: &[&[&str]] = &[
    &["domain", "service"],
    &[
        "store",
        "format",
        "methods_dir",
        "time_source",
        "device_files",
    ],
    &["input"],
    &["config"],
    &["app", "backlight"],
    &["ui"],
    &["cli"],
    &["main"],
];

/// Longest source file, in lines, before it is split into what it holds.
const MAX_LINES: usize = 600;

fn floor_of(top: &str) -> usize {
    FLOORS
        .iter()
        .position(|floor| floor.contains(&top))
        .unwrap_or_else(|| panic!("module `{top}` has no floor: add it to FLOORS and the README"))
}

/// One source file: its module path (`["ui", "controller"]`) and its text without comments and
/// string literals.
struct Source {
    module: Vec<String>,
    file: PathBuf,
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &["rs"], &mut files);
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Vec<String> = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module
                .last()
                .is_some_and(|last| last == "mod" || last == "lib")
            {
                module.pop();
            }
            let text = std::fs::read_to_string(&file).unwrap();
            Source {
                module,
                code: strip_comments_and_strings(&text),
                file,
            }
        })
        .collect()
}

/// The files under `dir` whose names end in one of `extensions`, in a stable order.
fn collect(dir: &Path, extensions: &[&str], files: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, extensions, files);
        } else if path
            .extension()
            .is_some_and(|ext| extensions.contains(&ext.to_string_lossy().as_ref()))
        {
            files.push(path);
        }
    }
}

/// Blanks comments and the insides of string and char literals, keeping line breaks, so that a
/// path quoted in a message or a doc comment is not taken for an import.
fn strip_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && raw_string_at(&chars, i) {
            let mut hashes = 0;
            i += 1;
            while chars[i] == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && char_literal_len(&chars, i).is_some() {
            let len = char_literal_len(&chars, i).unwrap();
            out.push_str("' '");
            out.extend(std::iter::repeat_n(' ', len - 3));
            i += len;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn raw_string_at(chars: &[char], i: usize) -> bool {
    let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    starts_word && chars.get(j) == Some(&'"')
}

/// The length of a char literal starting at `i` (`'a'`, `'\n'`, `'\u{1F600}'`), or `None` for a
/// lifetime.
fn char_literal_len(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i + 1) == Some(&'\\') {
        let end = (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')?;
        Some(end - i + 1)
    } else if chars.get(i + 2) == Some(&'\'') {
        Some(3)
    } else {
        None
    }
}

/// Every module path a file names, made absolute: `use` trees expanded, `super::` and `self::`
/// resolved (inline `mod tests { … }` blocks included), and paths into child modules.
fn named_paths(source: &Source, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let tokens = tokenize(&source.code);
    let mut paths = Vec::new();
    // The inline modules the scan is inside, with the brace depth at which each was opened.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        let here: Vec<String> = source
            .module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(name, _)| name.clone()))
            .collect();
        match tokens[i].as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if inline.last().is_some_and(|(_, open)| *open == depth) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t == "{") => {
                inline.push((tokens[i + 1].clone(), depth));
                depth += 1;
                i += 3;
                continue;
            }
            "use" => {
                let end = (i..tokens.len()).find(|&j| tokens[j] == ";").unwrap();
                let mut expanded = Vec::new();
                expand_use_tree(&tokens[i + 1..end], &[], &mut expanded);
                for path in expanded {
                    if let Some(absolute) = absolute(&path, &here, inline.is_empty(), children) {
                        paths.push(absolute);
                    }
                }
                i = end + 1;
                continue;
            }
            // A path from the crate's root or this module, or into one of its child modules.
            first
                if tokens.get(i + 1).is_some_and(|t| t == "::")
                    && (matches!(first, "crate" | "super" | "self" | "intervisie_kiosk")
                        || (inline.is_empty()
                            && children.contains(first)
                            && (i == 0 || tokens[i - 1] != "::"))) =>
            {
                let mut path = vec![first.to_string()];
                let mut j = i + 1;
                while tokens.get(j).is_some_and(|t| t == "::")
                    && tokens.get(j + 1).is_some_and(|t| is_ident(t))
                {
                    path.push(tokens[j + 1].clone());
                    j += 2;
                }
                if let Some(absolute) = absolute(&path, &here, inline.is_empty(), children) {
                    paths.push(absolute);
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    paths
}

fn is_ident(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn tokenize(code: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// `a::{b, c::{d as e, *}}` → `a::b`, `a::c::d`, `a::c`.
fn expand_use_tree(tokens: &[String], prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut path = prefix.to_vec();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "::" | "pub" => i += 1,
            "(" => {
                // `pub(crate) use …`
                i = (i..tokens.len()).find(|&j| tokens[j] == ")").unwrap() + 1;
            }
            "{" => {
                let close = matching_brace(tokens, i);
                for item in split_top_level(&tokens[i + 1..close]) {
                    expand_use_tree(item, &path, out);
                }
                return;
            }
            "*" => break,
            "as" => {
                i += 2;
            }
            word => {
                if word != "self" || path.is_empty() {
                    path.push(word.to_string());
                }
                i += 1;
            }
        }
    }
    if !path.is_empty() {
        out.push(path);
    }
}

fn matching_brace(tokens: &[String], open: usize) -> usize {
    let mut depth = 0;
    for (j, token) in tokens.iter().enumerate().skip(open) {
        match token.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced braces in a use line")
}

fn split_top_level(tokens: &[String]) -> Vec<&[String]> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (j, token) in tokens.iter().enumerate() {
        match token.as_str() {
            "{" => depth += 1,
            "}" => depth -= 1,
            "," if depth == 0 => {
                items.push(&tokens[start..j]);
                start = j + 1;
            }
            _ => {}
        }
    }
    items.push(&tokens[start..]);
    items.into_iter().filter(|item| !item.is_empty()).collect()
}

/// The crate-absolute form of a path named in module `here`, or `None` for one outside the crate.
fn absolute(
    path: &[String],
    here: &[String],
    at_file_level: bool,
    children: &BTreeSet<String>,
) -> Option<Vec<String>> {
    let first = path.first()?.as_str();
    let mut base: Vec<String> = match first {
        "crate" | "intervisie_kiosk" => Vec::new(),
        "self" => here.to_vec(),
        "super" => {
            let mut base = here.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|p| p == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            return Some(base);
        }
        child if at_file_level && children.contains(child) => {
            let mut base = here.to_vec();
            base.push(child.to_string());
            base.extend(path[1..].iter().cloned());
            return Some(base);
        }
        _ => return None,
    };
    base.extend(path[1..].iter().cloned());
    Some(base)
}

/// The file a module path lands in: the deepest prefix that is a file of its own.
fn file_of<'a>(
    path: &[String],
    files: &'a BTreeMap<Vec<String>, PathBuf>,
) -> Option<(&'a Vec<String>, &'a PathBuf)> {
    (1..=path.len())
        .rev()
        .find_map(|len| files.get_key_value(&path[..len]))
}

struct Tree {
    sources: Vec<Source>,
    /// For each file, the files it names.
    edges: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
    modules: BTreeMap<PathBuf, Vec<String>>,
}

fn tree() -> Tree {
    let sources = sources();
    let files: BTreeMap<Vec<String>, PathBuf> = sources
        .iter()
        .map(|s| (s.module.clone(), s.file.clone()))
        .collect();
    let mut edges = BTreeMap::new();
    let mut modules = BTreeMap::new();
    for source in &sources {
        let children: BTreeSet<String> = files
            .keys()
            .filter(|m| m.len() == source.module.len() + 1 && m.starts_with(&source.module))
            .map(|m| m.last().unwrap().clone())
            .collect();
        let is_main = source.module == ["main"];
        let mut named = BTreeSet::new();
        for path in named_paths(source, &children) {
            // The binary reaches the library by its crate name, not as a child module.
            let path = if is_main && !path.is_empty() && path[0] == "main" {
                path[1..].to_vec()
            } else {
                path
            };
            if let Some((_, file)) = file_of(&path, &files)
                && *file != source.file
            {
                named.insert(file.clone());
            }
        }
        edges.insert(source.file.clone(), named);
        modules.insert(source.file.clone(), source.module.clone());
    }
    Tree {
        sources,
        edges,
        modules,
    }
}

fn shown(file: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    file.strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string()
}

fn top_module(module: &[String]) -> Option<&str> {
    module.first().map(String::as_str)
}

#[test]
fn every_module_imports_only_from_floors_below_its_own() {
    let tree = tree();
    let mut upward = Vec::new();
    for (file, named) in &tree.edges {
        let Some(from) = top_module(&tree.modules[file]) else {
            continue; // lib.rs only declares the modules
        };
        for target in named {
            let Some(to) = top_module(&tree.modules[target]) else {
                continue;
            };
            if from != to && floor_of(to) >= floor_of(from) {
                upward.push(format!(
                    "{} (`{from}`, floor {}) imports {} (`{to}`, floor {})",
                    shown(file),
                    floor_of(from) + 1,
                    shown(target),
                    floor_of(to) + 1
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that do not go down a floor:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_file_takes_part_in_an_import_circle() {
    let tree = tree();
    let mut circles = Vec::new();
    // A circle through a file is a path from one of the files it names back to it.
    for start in tree.edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(PathBuf, Vec<PathBuf>)> = tree.edges[start]
            .iter()
            .map(|next| (next.clone(), vec![start.clone(), next.clone()]))
            .collect();
        while let Some((file, route)) = stack.pop() {
            if file == *start {
                circles.push(
                    route
                        .iter()
                        .map(|f| shown(f))
                        .collect::<Vec<_>>()
                        .join(" -> "),
                );
                break;
            }
            if !seen.insert(file.clone()) {
                continue;
            }
            for next in &tree.edges[&file] {
                let mut longer = route.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn nothing_the_kiosk_flow_reaches_names_the_ui_toolkit() {
    let tree = tree();
    let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
    let mut stack: Vec<PathBuf> = tree
        .modules
        .iter()
        .filter(|(_, module)| top_module(module) == Some("app"))
        .map(|(file, _)| file.clone())
        .collect();
    assert!(!stack.is_empty(), "no files under src/app");
    while let Some(file) = stack.pop() {
        if reached.insert(file.clone()) {
            stack.extend(tree.edges[&file].iter().cloned());
        }
    }
    let naming_slint: Vec<String> = tree
        .sources
        .iter()
        .filter(|source| reached.contains(&source.file))
        .filter(|source| {
            tokenize(&source.code)
                .iter()
                .any(|token| token.contains("slint"))
        })
        .map(|source| shown(&source.file))
        .collect();
    assert!(
        naming_slint.is_empty(),
        "reached from src/app and naming slint: {naming_slint:?}"
    );
}

#[test]
fn no_source_file_is_longer_than_a_reader_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "ui", "deploy", "benches"] {
        collect(&root.join(dir), &["rs", "slint", "sh", "py"], &mut files);
    }
    files.push(root.join("build.rs"));
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = std::fs::read_to_string(file).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} has {lines} lines", shown(file)))
        })
        .collect();
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}

/// The README's "Development" section shows the tree as it is: every path it names exists,
/// every module under `src/` is named, and its table of floors is the one this test checks.
#[test]
fn the_readme_shows_the_tree_and_the_floors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let section = readme
        .split("\n## Development\n")
        .nth(1)
        .expect("a Development section")
        .split("\n## ")
        .next()
        .unwrap();
    let named: Vec<&str> = section
        .lines()
        .filter(|line| line.starts_with("    ") && !line.starts_with("     "))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(named.len() > 10, "no tree found in the README: {named:?}");
    for path in &named {
        assert!(
            root.join(path).exists(),
            "the README names {path}, which is not there"
        );
    }
    for entry in std::fs::read_dir(root.join("src")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "lib.rs" || name == "main.rs" {
            continue;
        }
        let shown = format!("src/{name}{}", if name.ends_with(".rs") { "" } else { "/" });
        assert!(
            named.contains(&shown.as_str()),
            "the README's tree lacks {shown}"
        );
    }
    for (i, floor) in FLOORS.iter().enumerate() {
        let modules = floor
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = format!("| {} | {modules} |", i + 1);
        assert!(
            section.contains(&row),
            "the README's table lacks the row `{row}`"
        );
    }
}

/// Text said from Rust has one home, `src/format/phrases.rs`, whose test checks that every phrase
/// has its Dutch: a `match` on the language that yields words anywhere else is a second home.
#[test]
fn text_said_from_rust_comes_from_the_phrasebook() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &["rs"], &mut files);
    let mut second_homes = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // The domain's own texts (method names, labels) are `Text` values with both languages.
        if relative.starts_with("domain/") || relative == "format/phrases.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(arm) = line.find("=>") else { continue };
            if !(line[..arm].contains("Lang::Nl") || line[..arm].contains("Lang::En")) {
                continue;
            }
            let value = [&line[arm + 2..], lines.get(i + 1).copied().unwrap_or("")].concat();
            let words = value.contains("format!(")
                || value
                    .split('"')
                    .skip(1)
                    .step_by(2)
                    .any(|s| s.chars().any(char::is_alphabetic) && !["nl", "en"].contains(&s));
            if words {
                second_homes.push(format!("src/{relative}:{}: {}", i + 1, line.trim()));
            }
        }
        if text.contains("fn tr(") {
            second_homes.push(format!("src/{relative}: defines its own tr()"));
        }
    }
    assert!(
        second_homes.is_empty(),
        "text chosen by language outside src/format/phrases.rs:\n{}",
        second_homes.join("\n")
    );
}

/// The checker itself, on small made-up files: it must see what it is there to see.
mod checker {
    use super::*;

    fn paths(module: &[&str], code: &str, children: &[&str]) -> Vec<String> {
        let source = Source {
            module: module.iter().map(|s| s.to_string()).collect(),
            file: PathBuf::from("x.rs"),
            code: strip_comments_and_strings(code),
        };
        let children = children.iter().map(|s| s.to_string()).collect();
        named_paths(&source, &children)
            .into_iter()
            .map(|p| p.join("::"))
            .collect()
    }

    #[test]
    fn use_trees_are_expanded() {
        assert_eq!(
            paths(
                &["ui", "home"],
                "use crate::app::{kiosk::{Kiosk, Page as P}, setup};\nuse super::models::*;",
                &[]
            ),
            [
                "app::kiosk::Kiosk",
                "app::kiosk::Page",
                "app::setup",
                "ui::models"
            ]
        );
    }

    #[test]
    fn inline_paths_and_test_modules_are_resolved() {
        let code = "fn f() { crate::ui::clock::now(); }\n\
                    #[cfg(test)]\nmod tests {\n use super::*;\n use super::super::x::Y;\n}";
        assert_eq!(
            paths(&["app", "kiosk"], code, &[]),
            ["ui::clock::now", "app::kiosk", "app::x::Y"]
        );
    }

    #[test]
    fn child_modules_named_from_their_parent_are_imports() {
        assert_eq!(
            paths(
                &["ui"],
                "use controller::Controller;\nfn f() { clock::SystemClock }",
                &["controller", "clock"]
            ),
            ["ui::controller::Controller", "ui::clock::SystemClock"]
        );
    }

    #[test]
    fn comments_and_strings_are_not_imports() {
        let code = "// use crate::ui::X;\n/* crate::ui::Y */\nconst S: &str = \"crate::ui::Z\";\n\
                    const R: &str = r#\"crate::ui::W\"#; const C: char = '\"'; use crate::app::A;";
        assert_eq!(paths(&["cli"], code, &[]), ["app::A"]);
    }
}
