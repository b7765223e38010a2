//! The language server: the LSP methods it answers, each delegating to a handler in
//! `crate::handlers`; document sync and the publication of diagnostics.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::guard::{self, Outcome, failed, lock, read, read_all};
use crate::handlers::{
    code_action, completion, definition, document_symbol, folding_range, formatting, hover, inlay_hint, prepare_rename,
    publish_diagnostics, references, rename, semantic_tokens, workspace_symbol,
};
use crate::state::{EditError, State};

/// What was last published, per URI, and the newest edit of each spec whose diagnostics went out.
#[derive(Default)]
struct Published {
    diagnostics: HashMap<Uri, (usize, Vec<Diagnostic>)>,
    generations: HashMap<usize, u64>,
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    published: tokio::sync::Mutex<Published>,
    generation: std::sync::atomic::AtomicU64,
    /// Set when the client has sent `shutdown`.
    shut_down: Arc<AtomicBool>,
}

impl Backend {
    pub(crate) fn new(client: Client, state: State) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(state)),
            published: tokio::sync::Mutex::default(),
            generation: std::sync::atomic::AtomicU64::new(0),
            shut_down: Arc::default(),
        }
    }

    /// Whether the client has sent `shutdown`, for the exit status.
    pub(crate) fn shut_down(&self) -> Arc<AtomicBool> {
        self.shut_down.clone()
    }

    /// Applies an edit to the state under the lock, catching any panic.
    fn edit<T>(&self, what: &str, apply: impl FnOnce(&mut State) -> T) -> Option<T> {
        match guard::run(|| apply(&mut lock(&self.state))) {
            Outcome::Done(value) => Some(value),
            Outcome::Cancelled | Outcome::Panicked(_) => {
                let message = format!("the Portolan server failed to apply {what}");
                let client = self.client.clone();
                tokio::spawn(async move { client.log_message(MessageType::ERROR, message).await });
                None
            }
        }
    }

    /// Publishes the diagnostics of every file of a spec that changed since last published.
    async fn publish(&self, spec: usize) {
        let generation = self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let Some((snapshot, versions)) = lock(&self.state).spec_snapshot(spec) else { return };
        let computed = tokio::task::spawn_blocking(move || {
            guard::run(|| publish_diagnostics::spec_diagnostics(&snapshot, &versions))
        })
        .await;
        // Cancelled by a newer edit, which publishes in its turn.
        let Ok(Outcome::Done(files)) = computed else { return };
        let mut published = self.published.lock().await;
        if published.generations.get(&spec).is_some_and(|&newest| newest > generation) {
            return;
        }
        published.generations.insert(spec, generation);
        let mut gone: Vec<Uri> =
            published.diagnostics.iter().filter(|(_, (s, _))| *s == spec).map(|(uri, _)| uri.clone()).collect();
        for (uri, version, list) in files {
            gone.retain(|u| u != &uri);
            if published.diagnostics.get(&uri).is_some_and(|(_, old)| *old == list) {
                continue;
            }
            published.diagnostics.insert(uri.clone(), (spec, list.clone()));
            self.client.publish_diagnostics(uri, list, version).await;
        }
        for uri in gone {
            published.diagnostics.remove(&uri);
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        inlay_hint_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic_tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "portolan".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let opened = self
            .edit("an opened document", |s| (s.open(&doc.uri, doc.version, doc.text), std::mem::take(&mut s.messages)));
        let (spec, messages) = opened.unwrap_or_default();
        for message in messages {
            self.client.show_message(MessageType::WARNING, message).await;
        }
        if let Some(spec) = spec {
            self.publish(spec).await;
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let doc = params.text_document;
        let result = self.edit("an edit", |s| s.change(&doc.uri, doc.version, params.content_changes));
        match result {
            Some(Ok(spec)) => self.publish(spec).await,
            Some(Err(EditError::Stale { have, got })) => {
                let message = format!("ignored a change to version {got} of {}: it is at {have}", doc.uri.as_str());
                self.client.log_message(MessageType::WARNING, message).await;
            }
            Some(Err(EditError::UnknownDocument | EditError::ReadOnly)) | None => {}
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        if let Some(Some(spec)) = self.edit("a close", |s| s.close(&params.text_document.uri)) {
            self.publish(spec).await;
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        Ok(read(&self.state, &p.text_document.uri, move |s| hover::hover(s, p.position)).await?.flatten())
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        Ok(read(&self.state, &p.text_document.uri, move |s| definition::definition(s, p.position)).await?.flatten())
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let declaration = params.context.include_declaration;
        let work = move |s: &_| references::references(s, p.position, declaration);
        Ok(read(&self.state, &p.text_document.uri, work).await?.flatten())
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let position = params.position;
        match read(&self.state, &params.text_document.uri, move |s| prepare_rename::prepare_rename(s, position)).await?
        {
            Some(Ok(answer)) => Ok(answer),
            Some(Err(error)) => Err(failed(error.to_string())),
            None => Ok(None),
        }
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let name = params.new_name;
        match read(&self.state, &p.text_document.uri, move |s| rename::rename(s, p.position, &name)).await? {
            Some(Ok(answer)) => Ok(answer),
            Some(Err(error)) => Err(failed(error.to_string())),
            None => Ok(None),
        }
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let answer = read(&self.state, &params.text_document.uri, document_symbol::document_symbols).await?;
        Ok(answer.map(DocumentSymbolResponse::Nested))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let query = params.query;
        let answer = read_all(&self.state, move |s| workspace_symbol::workspace_symbols(s, &query)).await?;
        Ok(answer.map(WorkspaceSymbolResponse::Nested))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let answer = read(&self.state, &p.text_document.uri, move |s| completion::completion(s, p.position)).await?;
        Ok(answer.map(CompletionResponse::Array))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let range = params.range;
        read(&self.state, &params.text_document.uri, move |s| code_action::code_actions(s, range)).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let range = params.range;
        read(&self.state, &params.text_document.uri, move |s| inlay_hint::inlay_hints(s, range)).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let answer = read(&self.state, &params.text_document.uri, semantic_tokens::semantic_tokens).await?;
        Ok(answer.map(SemanticTokensResult::Tokens))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        read(&self.state, &params.text_document.uri, folding_range::folding_ranges).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        read(&self.state, &params.text_document.uri, formatting::format).await
    }
}
