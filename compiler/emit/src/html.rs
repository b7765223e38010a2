//! `html`: `ports.html`, one self-contained page (no scripts, no external resources) with the
//! port matrices and the diagram as inline SVG.

use super::svg;
use super::table::{Block, document};
use super::xml::escape;
use portolan_model::Model;

const STYLE: &str = "body { font-family: sans-serif; margin: 2em; color: #222; }\n\
table { border-collapse: collapse; margin: 1em 0; }\n\
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }\n\
th { background: #eee; }\n\
figure { margin: 1em 0; max-width: 100%; overflow-x: auto; }\n\
figure svg { display: block; width: 100%; height: auto; }\n";

pub fn emit(model: &Model, title: &str) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&crate::text::one_line(title))));
    out.push_str(&format!("<style>\n{STYLE}</style>\n</head>\n<body>\n"));
    for block in document(model, title) {
        match block {
            Block::Heading(level, text) => out.push_str(&format!("<h{level}>{}</h{level}>\n", escape(&text))),
            Block::Paragraph(text) => out.push_str(&format!("<p>{}</p>\n", escape(&text))),
            Block::Diagram => out.push_str(&format!("<figure>\n{}</figure>\n", svg::inline(model))),
            Block::Table(table) => {
                out.push_str("<table>\n<thead><tr>");
                for cell in &table.header {
                    out.push_str(&format!("<th>{}</th>", escape(cell)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for cells in &table.rows {
                    out.push_str("<tr>");
                    for cell in cells {
                        out.push_str(&format!("<td>{}</td>", escape(cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
