//! Diagnostics as a SARIF 2.1.0 log, for code-scanning annotations in CI.

use serde_sarif::sarif::{
    ArtifactLocation, Location as SarifLocation, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use super::Lines;
use crate::codes::Code;
use crate::db::Db;
use crate::diagnostic::{Diagnostic, Location, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn location(db: &dyn Db, lines: &mut Lines, location: &Location, message: Option<&str>) -> SarifLocation {
    let r = lines.region(db, location);
    let region = Region::builder()
        .start_line(i64::from(r.line))
        .start_column(i64::from(r.column))
        .end_line(i64::from(r.end_line))
        .end_column(i64::from(r.end_column))
        .build();
    let uri = location.file.path(db).replace('\\', "/");
    let physical = PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(uri).build())
        .region(region)
        .build();
    match message {
        Some(text) if !text.is_empty() => {
            SarifLocation::builder().physical_location(physical).message(Message::builder().text(text).build()).build()
        }
        _ => SarifLocation::builder().physical_location(physical).build(),
    }
}

/// The diagnostics as a SARIF log with one run.
pub fn sarif(db: &dyn Db, diagnostics: &[Diagnostic]) -> String {
    sarif_log(vec![sarif_run(db, diagnostics)])
}

/// A SARIF log holding these runs.
pub fn sarif_log(runs: Vec<Run>) -> String {
    let log = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::json!("2.1.0"))
        .runs(runs)
        .build();
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

/// One SARIF run for one spec; every code is a rule of the tool's driver.
pub fn sarif_run(db: &dyn Db, diagnostics: &[Diagnostic]) -> Run {
    let rules: Vec<ReportingDescriptor> = Code::ALL
        .iter()
        .map(|code| {
            ReportingDescriptor::builder()
                .id(code.as_str())
                .name(code.slug())
                .short_description(MultiformatMessageString::builder().text(code.summary()).build())
                .full_description(MultiformatMessageString::builder().text(code.explain()).build())
                .default_configuration(
                    ReportingConfiguration::builder().level(serde_json::json!(level(code.severity()))).build(),
                )
                .build()
        })
        .collect();
    let mut lines = Lines::default();
    let results: Vec<SarifResult> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let primary: Vec<SarifLocation> =
                d.location().map(|l| vec![location(db, &mut lines, l, None)]).unwrap_or_default();
            let related: Vec<SarifLocation> = d
                .labels
                .iter()
                .filter(|l| !l.primary)
                .map(|l| location(db, &mut lines, &l.location, Some(&l.message)))
                .collect();
            let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0) as i64;
            let result = SarifResult::builder()
                .rule_id(d.code.as_str())
                .rule_index(index)
                .level(match d.severity {
                    Severity::Error => ResultLevel::Error,
                    Severity::Warning => ResultLevel::Warning,
                })
                .message(Message::builder().text(text).build())
                .locations(primary);
            if related.is_empty() { result.build() } else { result.related_locations(related).build() }
        })
        .collect();
    let driver = ToolComponent::builder()
        .name("portolan")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/portolan-lang/portolan")
        .rules(rules)
        .build();
    Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        // SARIF's default unit is UTF-16 code units; `Lines::region` counts code points, so the
        // run says so (spec/check.md, "Positions").
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build()
}
