//! Parse and check any text split into files, and render the diagnostics every way: no panic,
//! no hang, and every label inside its file's text.

#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use portolan::{Database, render};

thread_local! {
    // One database for every run, as an editor session keeps one: the standard library is
    // parsed once, and each run's files replace the last run's.
    static DB: RefCell<Database> = RefCell::new(Database::new());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    DB.with(|db| check(&mut db.borrow_mut(), text));
});

fn check(db: &mut Database, text: &str) {
    let files = portolan_fuzz::split_files(text);
    for old in db.user_files() {
        let path = old.path(db).clone();
        if !files.iter().any(|(p, _)| *p == path) {
            db.remove_file(&path);
        }
    }
    for (path, body) in &files {
        db.set_file(path, path.trim_end_matches(".ptl"), body.clone());
    }
    let diagnostics = portolan::diagnostics(db);
    for diagnostic in &diagnostics {
        for label in &diagnostic.absolute(db).labels {
            let len = label.location.file.text(db).len() as u32;
            assert!(label.location.span.start <= label.location.span.end && label.location.span.end <= len);
        }
    }
    let _ = render::human(db, &diagnostics, false);
    let _ = render::json(db, &diagnostics);
    let _ = render::sarif(db, &diagnostics);
}
