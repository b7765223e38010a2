//! `textDocument/semanticTokens/full`: each token by what it stands for, and the legend.

use portolan_ide::{NameKind, TokenKind};
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};

use crate::state::Snapshot;

/// The token types, in the order of their indices in the legend.
const TOKEN_TYPES: [(TokenKind, SemanticTokenType); 11] = [
    (TokenKind::Comment, SemanticTokenType::COMMENT),
    (TokenKind::String, SemanticTokenType::STRING),
    (TokenKind::Number, SemanticTokenType::NUMBER),
    (TokenKind::Keyword, SemanticTokenType::KEYWORD),
    (TokenKind::Name(NameKind::Module), SemanticTokenType::NAMESPACE),
    (TokenKind::Name(NameKind::Protocol), SemanticTokenType::TYPE),
    (TokenKind::Name(NameKind::Component), SemanticTokenType::CLASS),
    (TokenKind::Name(NameKind::Zone), SemanticTokenType::STRUCT),
    (TokenKind::Name(NameKind::Node), SemanticTokenType::VARIABLE),
    (TokenKind::Name(NameKind::Port), SemanticTokenType::PROPERTY),
    (TokenKind::Name(NameKind::Param), SemanticTokenType::PARAMETER),
];

const DECLARATION: u32 = 1;
const DOCUMENTATION: u32 = 2;
const DEFAULT_LIBRARY: u32 = 4;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.iter().map(|(_, t)| t.clone()).collect(),
        token_modifiers: vec![
            SemanticTokenModifier::DECLARATION,
            SemanticTokenModifier::DOCUMENTATION,
            SemanticTokenModifier::DEFAULT_LIBRARY,
        ],
    }
}

pub fn semantic_tokens(snapshot: &Snapshot) -> SemanticTokens {
    let lines = snapshot.lines(snapshot.file);
    let mut data = Vec::new();
    let (mut line, mut start) = (0, 0);
    for token in portolan_ide::semantic_tokens(&snapshot.db, snapshot.file) {
        let Some(index) = TOKEN_TYPES.iter().position(|(k, _)| *k == token.kind) else { continue };
        let range = lines.range(token.span);
        if range.end.line != range.start.line || range.end.character <= range.start.character {
            continue;
        }
        let mut modifiers = if token.declaration { DECLARATION } else { 0 };
        if token.documentation_or_library {
            modifiers |= if token.kind == TokenKind::Comment { DOCUMENTATION } else { DEFAULT_LIBRARY };
        }
        let delta_line = range.start.line.saturating_sub(line);
        let delta_start =
            if delta_line == 0 { range.start.character.saturating_sub(start) } else { range.start.character };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type: index as u32,
            token_modifiers_bitset: modifiers,
        });
        (line, start) = (range.start.line, range.start.character);
    }
    SemanticTokens { result_id: None, data }
}
