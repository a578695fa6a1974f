//! The structure's rules, checked on the source itself (issue 28), so that the cuts stay cut.
//!
//! `src/` is read as a graph of modules: one node per file, an edge for every `use crate::…`,
//! `use super::…`, child-module `use` and inline `crate::…` path (tests' `#[cfg(test)]` modules
//! and comments left out). A *capability* is a top-level folder of `src/` (`dossiers`,
//! `processing`, …); `web/` and `kernel/` are plumbing, the top-level files (`routes.rs`,
//! `openapi.rs`, `app.rs`, …) compose. A *handler file* is one that holds a function a route
//! serves (`routes.rs` and each capability's `routes.rs` declare them). The rules:
//!
//! 1. no file of a capability names another capability's handler file (ask its service, repo,
//!    domain or views instead);
//! 2. plumbing (`web/`, `kernel/`) names no capability;
//! 3. no import cycle runs through two capabilities;
//! 4. no source file is over 800 lines;
//! 5. a dossier is born in `dossiers/` only: no other module writes `insert into dossiers`
//!    (the data generator and the benchmarks, which are tools, aside);
//! 6. no handler is over 60 lines, but for the ones listed in [`LONG_HANDLERS`] with the length
//!    they had when the rule came, which may only shrink (the list is the work left);
//! 7. SQL outside the repository modules (`repo.rs`, `repo/`), transactions begun in handler
//!    files and URLs written out in templates may only become fewer
//!    ([`SQL_OUTSIDE_REPOSITORIES`], [`TRANSACTIONS_IN_HANDLERS`], [`TEMPLATE_URLS`]: lower them
//!    when they do).
//!
//! `cargo test --test architecture -- --nocapture` prints the figures the README quotes.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module: its path from the crate root (`["processing", "desk", "act"]`).
type Module = Vec<String>;

/// Folders of `src/` that are plumbing, not capabilities.
const PLUMBING: [&str; 2] = ["web", "kernel"];

/// The longest file the rule allows.
const MAX_FILE_LINES: usize = 800;
/// The longest handler the rule allows.
const MAX_HANDLER_LINES: usize = 60;
/// Handlers longer than the rule when it came, with their length then: each may shrink, none
/// may grow, and one that fits the rule must leave the list.
const LONG_HANDLERS: &[(&str, usize)] = &[
    ("payments::sandbox::api", 162),
    ("accounts::national_sso::callback", 141),
    ("national::inbound::push", 138),
    ("payments::citizen::start", 136),
    ("accounts::citizen::register", 136),
    ("feedback::staff::list", 117),
    ("dossiers::citizen::submit::submit", 112),
    ("postal::pages::step", 111),
    ("payments::staff::refund", 107),
    ("national::pages::page", 96),
    ("dossiers::citizen::journey::save_applicant", 95),
    ("accounts::citizen::profile::update_profile", 94),
    ("reports::pages::dashboard", 90),
    ("admin::online::decide", 89),
    ("admin::catalogue::start", 84),
    ("processing::inbox::inbox", 82),
    ("admin::calendar::add_hours", 81),
    ("accounts::second_factor_pages::code", 81),
    ("processing::counter::file", 79),
    ("payments::gateways::add", 79),
    ("admin::online::propose", 78),
    ("admin::catalogue::save", 77),
    ("accounts::citizen::reset::reset_with_code", 77),
    ("notify::pages::save_template", 76),
    ("payments::staff::assess", 75),
    ("evaluations::results::results", 74),
    ("admin::home", 74),
    ("reports::pages::xlsx_export", 69),
    ("dossiers::citizen::documents::upload", 68),
    ("admin::create_staff", 68),
    ("payments::reconcile::report", 67),
    ("notify::pages::failed", 66),
    ("feedback::staff::act", 66),
    ("accounts::citizen::profile::change_password", 66),
    ("payments::sandbox::pay", 64),
    ("accounts::national_sso::link", 64),
    ("notify::pages::list", 63),
    ("dossiers::citizen::submit::save_delivery", 63),
    ("dossiers::citizen::page::acknowledgement_pdf", 63),
    ("postal::webhook::events", 62),
    ("accounts::second_factor_pages::enrol", 62),
    ("payments::staff::counter", 61),
    ("admin::calendar::save_day", 61),
    ("admin::audit_log", 61),
    ("accounts::email::confirm_email", 61),
];

/// SQL call sites outside the repository modules when the rule came: the work left.
const SQL_OUTSIDE_REPOSITORIES: usize = 445;
/// URLs written out in templates (`href="/…"`, `action="/…"`) rather than given by `web::paths`
/// through the page's struct: the work left.
const TEMPLATE_URLS: usize = 152;
/// Transactions begun in handler files when the rule came: services should begin them.
const TRANSACTIONS_IN_HANDLERS: usize = 59;

struct Source {
    /// Every module's text, comments and test modules removed.
    text: BTreeMap<Module, String>,
    /// Every module's file and number of lines as written.
    files: BTreeMap<Module, (PathBuf, usize)>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn read_source() -> Source {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = src_dir();
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    let mut source = Source {
        text: BTreeMap::new(),
        files: BTreeMap::new(),
    };
    for path in paths {
        let raw = fs::read_to_string(&path).unwrap();
        let module = module_of(path.strip_prefix(&root).unwrap());
        source
            .files
            .insert(module.clone(), (path.clone(), raw.lines().count()));
        source.text.insert(module, strip(&raw));
    }
    source
}

/// `processing/desk/mod.rs` → `processing::desk`; `lib.rs` and `main.rs` → the root.
fn module_of(relative: &Path) -> Module {
    let mut parts: Module = relative
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The text without comments and without `#[cfg(test)]` modules (what tests import is not the
/// structure).
fn strip(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        let code = match line.find("//") {
            // a `//` inside a string (a URL) is not a comment
            Some(at) if line[..at].matches('"').count() % 2 == 0 => &line[..at],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    while let Some(at) = out.find("#[cfg(test)]") {
        let after = &out[at..];
        let Some(open) = after.find('{') else { break };
        // only a module; an attribute on a function or an item ends before its first `{` or `;`
        if !after[..open].contains("mod ") || after[..open].contains(';') {
            out.replace_range(at..at + "#[cfg(test)]".len(), "");
            continue;
        }
        let mut depth = 0usize;
        let mut end = out.len();
        for (i, c) in after.char_indices().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(at..end, "");
    }
    out
}

/// The paths a `use` tree names, each with the name it takes here:
/// `a::{b, c::{d as e, f}}` → `b` = `a::b`, `e` = `a::c::d`, `f` = `a::c::f`.
fn expand_named(prefix: &[String], tree: &str) -> Vec<(String, Module)> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let mut parts = tree.split(" as ");
        let mut path = prefix.to_vec();
        path.extend(
            parts
                .next()
                .unwrap_or_default()
                .split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "*" && *s != "self")
                .map(str::to_owned),
        );
        let name = parts
            .next()
            .map(|a| a.trim().to_owned())
            .unwrap_or_else(|| path.last().cloned().unwrap_or_default());
        return vec![(name, path)];
    };
    let mut head = prefix.to_vec();
    head.extend(
        tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
    );
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut depth, mut start, mut out) = (0usize, 0usize, Vec::new());
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.extend(expand_named(&head, &inner[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        out.extend(expand_named(&head, &inner[start..]));
    }
    out
}

/// The paths a `use` tree names.
fn expand(prefix: &[String], tree: &str) -> Vec<Module> {
    expand_named(prefix, tree)
        .into_iter()
        .map(|(_, path)| path)
        .collect()
}

/// Every path into the crate a module names.
fn references(source: &Source, module: &Module, text: &str) -> BTreeSet<Module> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        let tree = rest[..end].trim();
        let first = tree.split("::").next().unwrap_or_default().trim();
        let paths = if let Some(inner) = tree.strip_prefix("crate::") {
            expand(&[], inner)
        } else if first == "super" {
            let mut base = module.clone();
            let mut tail = tree;
            while let Some(t) = tail.strip_prefix("super::") {
                base.pop();
                tail = t;
            }
            expand(&base, tail)
        } else if source
            .text
            .contains_key(&[module.as_slice(), &[first.to_owned()]].concat())
        {
            expand(module, tree)
        } else {
            Vec::new()
        };
        found.extend(paths);
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("crate::") {
        let start = from + at;
        from = start + 7;
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let path: String = text[from..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        found.insert(
            path.split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        );
    }
    found
}

/// The module a path lands in: its longest prefix that is a file, or the child that file
/// re-exports the item from (`pub use page::*`), so a re-export hides no handler file.
fn resolve(source: &Source, path: &[String]) -> Option<Module> {
    let module = (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|m| source.text.contains_key(m))?;
    let Some(item) = path.get(module.len()) else {
        return Some(module);
    };
    if defines(&source.text[&module], item) {
        return Some(module);
    }
    let child = source.text.keys().find(|m| {
        m.len() == module.len() + 1
            && m.starts_with(&module)
            && source.text[&module].contains(&format!("pub use {}::*", m[module.len()]))
            && defines(&source.text[*m], item)
    });
    Some(child.cloned().unwrap_or(module))
}

/// Whether a module's text defines an item of that name.
fn defines(text: &str, item: &str) -> bool {
    [
        "fn", "struct", "enum", "const", "static", "type", "trait", "mod",
    ]
    .iter()
    .any(|kind| {
        text.contains(&format!("{kind} {item}("))
            || text.contains(&format!("{kind} {item} "))
            || text.contains(&format!("{kind} {item}<"))
            || text.contains(&format!("{kind} {item};"))
            || text.contains(&format!("{kind} {item}:"))
    })
}

/// Which module imports which (a module's own ancestors left out: `mod.rs` declares them).
fn graph(source: &Source) -> BTreeMap<Module, BTreeMap<Module, Vec<String>>> {
    let mut edges: BTreeMap<Module, BTreeMap<Module, Vec<String>>> = BTreeMap::new();
    for (module, text) in &source.text {
        let out = edges.entry(module.clone()).or_default();
        for path in references(source, module, text) {
            let Some(target) = resolve(source, &path) else {
                continue;
            };
            if &target == module || module.starts_with(&target) {
                continue;
            }
            out.entry(target).or_default().push(path.join("::"));
        }
    }
    edges
}

fn capability(module: &Module) -> Option<&str> {
    (module.len() > 1 || is_folder(module))
        .then(|| module[0].as_str())
        .filter(|c| !PLUMBING.contains(c))
}

fn is_folder(module: &Module) -> bool {
    module.len() == 1 && src_dir().join(&module[0]).is_dir()
}

/// The handler functions the route table serves, as `module::function` paths: read from
/// `routes.rs` and every capability's `routes.rs` (`get(super::citizen::home)`).
fn handlers(source: &Source) -> Vec<(Module, String)> {
    let mut found = Vec::new();
    for (module, text) in &source.text {
        if module.last().map(String::as_str) == Some("routes") {
            found.extend(served_by(source, &module[..module.len() - 1], text));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The handlers one routes file names; `base` is the module its `super::` stands for.
fn served_by(source: &Source, base: &[String], routes: &str) -> Vec<(Module, String)> {
    // the names the file gives to modules: `use crate::x::y as z;`, `use crate::x::{y, z as w}`
    let mut aliases: BTreeMap<String, Module> = BTreeMap::new();
    let mut rest = routes;
    while let Some(at) = rest.find("use ") {
        rest = &rest[at + 4..];
        let end = rest.find(';').unwrap_or(rest.len());
        let tree = rest[..end].trim();
        for (name, path) in expand_named(&[], tree) {
            let path = match path.first().map(String::as_str) {
                Some("crate") => path[1..].to_vec(),
                Some(first) if aliases.contains_key(first) => {
                    [aliases[first].as_slice(), &path[1..]].concat()
                }
                _ => continue,
            };
            aliases.insert(name, path);
        }
    }
    let mut found = Vec::new();
    for method in ["get(", "post("] {
        let mut from = 0;
        while let Some(at) = routes[from..].find(method) {
            let start = from + at + method.len();
            from = start;
            if start > method.len()
                && routes.as_bytes()[start - method.len() - 1].is_ascii_alphanumeric()
            {
                continue;
            }
            let name: String = routes[start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut path: Module = name.split("::").map(str::to_owned).collect();
            if path.len() < 2 {
                continue;
            }
            if path[0] == "crate" {
                path.remove(0);
            } else if path[0] == "super" {
                path = [base, &path[1..]].concat();
            } else if let Some(alias) = aliases.get(&path[0]) {
                path = [alias.as_slice(), &path[1..]].concat();
            } else {
                continue;
            }
            let function = path.pop().unwrap();
            if let Some(module) = defining_module(source, &path, &function) {
                found.push((module, function));
            }
        }
    }
    found
}

/// The file that defines `function`: the module named, or one of its children that it
/// re-exports (`pub use page::*`).
fn defining_module(source: &Source, module: &Module, function: &str) -> Option<Module> {
    let defines = |m: &Module| {
        source.text.get(m).is_some_and(|t| {
            t.contains(&format!("async fn {function}("))
                || t.contains(&format!("fn {function}("))
                || t.contains(&format!("async fn {function}<"))
        })
    };
    let module = resolve(source, module)?;
    if defines(&module) {
        return Some(module);
    }
    source
        .text
        .keys()
        .find(|m| m.len() == module.len() + 1 && m.starts_with(&module) && defines(m))
        .cloned()
}

/// A function's length in lines, from its `fn` line to its closing brace, as written.
fn function_lines(source: &Source, module: &Module, function: &str) -> usize {
    let (path, _) = &source.files[module];
    let raw = fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = raw.lines().collect();
    let start = lines
        .iter()
        .position(|l| {
            let l = l.trim_start();
            (l.starts_with("pub ") || l.starts_with("async ") || l.starts_with("fn "))
                && (l.contains(&format!("fn {function}("))
                    || l.contains(&format!("fn {function}<")))
        })
        .unwrap_or_else(|| panic!("{function} in {}", path.display()));
    let indent = lines[start].len() - lines[start].trim_start().len();
    let end = lines[start..]
        .iter()
        .position(|l| {
            l.len() > indent && l[indent..].starts_with('}') && l[..indent].trim().is_empty()
        })
        .map_or(lines.len(), |n| start + n);
    end - start + 1
}

/// Strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<Module, BTreeMap<Module, Vec<String>>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        edges: &'a BTreeMap<Module, BTreeMap<Module, Vec<String>>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        next: usize,
        found: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flat_map(BTreeMap::keys) {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.found
}

fn show(module: &Module) -> String {
    if module.is_empty() {
        "lib".to_owned()
    } else {
        module.join("/")
    }
}

#[test]
fn no_capability_names_another_capabilitys_handler_file() {
    let source = read_source();
    let handler_files: BTreeSet<Module> = handlers(&source)
        .into_iter()
        .map(|(m, _)| m)
        .filter(|m| capability(m).is_some())
        .collect();
    assert!(
        handler_files.len() > 30,
        "the route table was read: {handler_files:?}"
    );
    let mut broken = Vec::new();
    for (from, targets) in graph(&source) {
        let Some(own) = capability(&from) else {
            continue;
        };
        for (target, paths) in targets {
            let names_handler = handler_files.iter().any(|h| target.starts_with(h));
            if names_handler && capability(&target) != Some(own) {
                broken.push(format!("{} → {}", show(&from), paths.join(", ")));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "a capability names another's handler file (move what it needs to a service, repo, \
         domain or views module):\n{}",
        broken.join("\n")
    );
}

#[test]
fn plumbing_names_no_capability() {
    let source = read_source();
    let mut broken = Vec::new();
    for (from, targets) in graph(&source) {
        if !PLUMBING.contains(&from.first().map_or("", String::as_str)) {
            continue;
        }
        for (target, paths) in targets {
            if capability(&target).is_some() {
                broken.push(format!("{} → {}", show(&from), paths.join(", ")));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "web/ and kernel/ are plumbing and name no capability:\n{}",
        broken.join("\n")
    );
}

#[test]
fn no_import_cycle_runs_through_two_capabilities() {
    let source = read_source();
    let edges = graph(&source);
    let mut broken = Vec::new();
    for component in cycles(&edges) {
        let folders: BTreeSet<&str> = component.iter().map(|m| m[0].as_str()).collect();
        if folders.len() > 1 {
            let inside: BTreeSet<&Module> = component.iter().collect();
            let lines: Vec<String> = component
                .iter()
                .flat_map(|v| {
                    edges[v]
                        .iter()
                        .filter(|(w, _)| inside.contains(w))
                        .map(move |(_, paths)| format!("  {} → {}", show(v), paths.join(", ")))
                })
                .collect();
            broken.push(format!(
                "a cycle through {}:\n{}",
                folders.into_iter().collect::<Vec<_>>().join(", "),
                lines.join("\n")
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn a_dossier_is_born_in_the_dossiers_capability_only() {
    let source = read_source();
    let tools = ["generate_dossiers", "bench", "bench_national"];
    let born_elsewhere: Vec<String> = source
        .text
        .iter()
        .filter(|(m, _)| {
            m.first()
                .is_some_and(|c| c != "dossiers" && !tools.contains(&c.as_str()))
        })
        .filter(|(_, text)| text.to_lowercase().contains("insert into dossiers "))
        .map(|(m, _)| show(m))
        .collect();
    assert!(
        born_elsewhere.is_empty(),
        "dossiers are born by dossiers::filing, drafts or repo::submit: {born_elsewhere:?}"
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let source = read_source();
    let long: Vec<String> = source
        .files
        .values()
        .filter(|(_, n)| *n > MAX_FILE_LINES)
        .map(|(p, n)| format!("{} ({n} lines)", p.display()))
        .collect();
    assert!(long.is_empty(), "split these files: {long:?}");
}

#[test]
fn handlers_fit_on_a_screen() {
    let source = read_source();
    let mut broken = Vec::new();
    let mut seen = BTreeSet::new();
    for (module, function) in handlers(&source) {
        let name = format!("{}::{function}", module.join("::"));
        let lines = function_lines(&source, &module, &function);
        let allowed = LONG_HANDLERS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, l)| *l);
        match allowed {
            None if lines > MAX_HANDLER_LINES => {
                broken.push(format!(
                    "{name} has {lines} lines (at most {MAX_HANDLER_LINES})"
                ));
            }
            Some(was) if lines > was => {
                broken.push(format!("{name} grew from {was} to {lines} lines"));
            }
            Some(_) if lines <= MAX_HANDLER_LINES => broken.push(format!(
                "{name} has {lines} lines now: take it off LONG_HANDLERS"
            )),
            _ => {}
        }
        seen.insert(name);
    }
    for (name, _) in LONG_HANDLERS {
        if !seen.contains(*name) {
            broken.push(format!(
                "{name} is no handler any more: take it off LONG_HANDLERS"
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// SQL call sites in a text: `sqlx::query…(`, `query_as(`, `query_scalar(` (each call once).
fn sql_sites(text: &str) -> usize {
    let calls = [
        "query_as(",
        "query_as::<",
        "query_scalar(",
        "query_scalar::<",
    ];
    let mut n = text.matches("sqlx::query").count() + text.matches("sqlx::raw_sql").count();
    for call in calls {
        n += text
            .match_indices(call)
            .filter(|(at, _)| !text[..*at].ends_with("sqlx::"))
            .count();
    }
    n
}

/// SQL call sites outside the repository modules, and transactions begun in handler files.
fn debts(source: &Source) -> (usize, usize) {
    let handler_files: BTreeSet<Module> = handlers(source).into_iter().map(|(m, _)| m).collect();
    let sql = source
        .text
        .iter()
        .filter(|(m, _)| !m.iter().any(|s| s == "repo"))
        .map(|(_, t)| sql_sites(t))
        .sum();
    let transactions = handler_files
        .iter()
        .map(|m| source.text[m].matches(".begin().await").count())
        .sum();
    (sql, transactions)
}

#[test]
fn sql_leaves_handlers_and_services_for_repositories_never_the_other_way() {
    let (sql, transactions) = debts(&read_source());
    assert!(
        sql <= SQL_OUTSIDE_REPOSITORIES,
        "{sql} SQL call sites outside repo modules, {SQL_OUTSIDE_REPOSITORIES} before: put new \
         queries in the capability's repo"
    );
    assert!(
        transactions <= TRANSACTIONS_IN_HANDLERS,
        "{transactions} transactions begun in handler files, {TRANSACTIONS_IN_HANDLERS} before: \
         a service begins them"
    );
    assert_eq!(
        (sql, transactions),
        (SQL_OUTSIDE_REPOSITORIES, TRANSACTIONS_IN_HANDLERS),
        "fewer than the figures: lower SQL_OUTSIDE_REPOSITORIES and TRANSACTIONS_IN_HANDLERS"
    );
}

/// URLs written out in the templates.
fn template_urls() -> usize {
    fn walk(dir: &Path, n: &mut usize) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, n);
            } else {
                let text = fs::read_to_string(&path).unwrap_or_default();
                *n += text.matches("href=\"/").count() + text.matches("action=\"/").count();
            }
        }
    }
    let mut n = 0;
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        &mut n,
    );
    n
}

#[test]
fn templates_take_their_urls_from_the_page_never_more_written_out() {
    let n = template_urls();
    assert!(
        n <= TEMPLATE_URLS,
        "{n} URLs written out in templates, {TEMPLATE_URLS} before: give the page struct a URL \
         from web::paths"
    );
    assert_eq!(
        n, TEMPLATE_URLS,
        "fewer than the figure: lower TEMPLATE_URLS"
    );
}

/// The figures the README's development section quotes.
#[test]
fn figures() {
    let source = read_source();
    let sizes: Vec<usize> = source.files.values().map(|(_, n)| *n).collect();
    let mut lengths: Vec<(usize, String)> = handlers(&source)
        .into_iter()
        .map(|(m, f)| {
            (
                function_lines(&source, &m, &f),
                format!("{}::{f}", m.join("::")),
            )
        })
        .collect();
    lengths.sort();
    let edges = graph(&source);
    let cycles = cycles(&edges);
    println!(
        "files: {}; over 400 lines: {}; over 800: {}",
        sizes.len(),
        sizes.iter().filter(|n| **n > 400).count(),
        sizes.iter().filter(|n| **n > MAX_FILE_LINES).count()
    );
    println!(
        "handlers: {}; median {} lines; longest {} ({}); over 40: {}; over 60: {}",
        lengths.len(),
        lengths[lengths.len() / 2].0,
        lengths.last().unwrap().0,
        lengths.last().unwrap().1,
        lengths.iter().filter(|(n, _)| *n > 40).count(),
        lengths
            .iter()
            .filter(|(n, _)| *n > MAX_HANDLER_LINES)
            .count(),
    );
    println!(
        "import cycles: {} ({} inside one folder)",
        cycles.len(),
        cycles
            .iter()
            .filter(|c| c.iter().map(|m| &m[0]).collect::<BTreeSet<_>>().len() == 1)
            .count()
    );
    let (sql, transactions) = debts(&source);
    println!(
        "SQL call sites outside repo modules: {sql}; transactions begun in handler files: \
         {transactions}"
    );
    println!("URLs written out in templates: {}", template_urls());
    for cycle in &cycles {
        let names: Vec<String> = cycle.iter().map(show).collect();
        println!("  cycle: {}", names.join(" ↔ "));
    }
    for (n, name) in lengths
        .iter()
        .rev()
        .take_while(|(n, _)| *n > MAX_HANDLER_LINES)
    {
        println!("  (\"{name}\", {n}),");
    }
}
