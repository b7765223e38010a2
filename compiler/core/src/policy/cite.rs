//! A hop's decision as the exported model states it: the deciding rule or default as written,
//! with its file and line, so that outputs can say "allowed by `allow dmz -> app on https`,
//! site.ptl:12".

use portolan_model::{DecidedBy, Decision as Stated, Verdict};
use portolan_syntax::{LineIndex, Span};
use rustc_hash::FxHashMap;

use super::Decision;
use crate::db::{Db, SourceFile};
use crate::facts::SpecPolicy;
use crate::items::Item;

/// Cites rules, keeping each file's line index and each rule's citation once made.
#[derive(Default)]
pub struct Citer {
    lines: FxHashMap<SourceFile, LineIndex>,
    cited: FxHashMap<(SourceFile, u32), (String, u32)>,
}

impl Citer {
    /// The text at `span` of `item` (doc comment lines left out, whitespace collapsed), and the
    /// line it starts on (from 1).
    fn cite(&mut self, db: &dyn Db, item: Item<'_>, span: Span) -> (String, u32) {
        let location = item.at(db, span).absolute(db);
        let file = location.file;
        let key = (file, location.span.start);
        if let Some(done) = self.cited.get(&key) {
            return done.clone();
        }
        let text = file.text(db);
        let written = text.get(location.span.start as usize..location.span.end as usize).unwrap_or_default();
        let mut start = location.span.start;
        let mut kept = Vec::new();
        for line in written.split('\n') {
            if kept.is_empty() && (line.trim().starts_with("///") || line.trim().is_empty()) {
                start += line.len() as u32 + 1;
                continue;
            }
            kept.push(line);
        }
        let words: Vec<&str> = kept.iter().flat_map(|l| l.split_whitespace()).collect();
        let lines = self.lines.entry(file).or_insert_with(|| LineIndex::new(text));
        let done = (words.join(" "), lines.line_of(start.min(text.len() as u32)) + 1);
        self.cited.insert(key, done.clone());
        done
    }

    /// The decision as the model states it.
    pub fn state(&mut self, db: &dyn Db, policy: &SpecPolicy<'_>, decision: Decision<'_, '_>) -> Stated {
        let action = if decision.allowed() { Verdict::Allow } else { Verdict::Deny };
        let (by, cited, label) = match decision.rule() {
            Some(rule) => (DecidedBy::Rule, Some((rule.policy, rule.text_span)), rule.label.clone()),
            None => match policy.defaults.first() {
                Some(default) => (DecidedBy::Default, Some((default.policy, default.span)), None),
                None => (DecidedBy::NoPolicy, None, None),
            },
        };
        let (rule, file, line) = match cited {
            Some((item, span)) => {
                let (text, line) = self.cite(db, item, span);
                // The path under the spec's folder, as the module names it: the same wherever the
                // build runs.
                let path = format!("{}.ptl", item.file(db).module(db).replace('.', "/"));
                (Some(text), Some(path), Some(line))
            }
            None => (None, None, None),
        };
        Stated { action, by, rule, label, file, line }
    }
}
