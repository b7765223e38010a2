//! What resolving an item found wrong, as data: each problem names the spans (relative to the
//! item, like every span of the resolved model) and the items and names involved, never a
//! message. `check/render.rs` turns each into its one diagnostic.

use portolan_syntax::ast::{self, PortKind};
use portolan_syntax::{Name, Span};

use crate::db::SourceFile;
use crate::eval::{EvalError, ParamType, PortError, TypeMismatch, Value};
use crate::items::{Item, ItemKind};
use crate::net::AddressError;

/// The part of an item a problem is about: what a name was looked up as, or what was repeated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Zone,
    Component,
    Protocol,
    Port,
    Parameter,
    Setting,
    TrustLevel,
    /// A section of a `document`'s `sections`.
    Section,
}

/// One end of a flow as written, once it resolved: the node, its port (when known) and the path.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct FlowEnd<'db> {
    pub node: Item<'db>,
    pub port: Option<u32>,
    pub path: ast::Path,
}

/// A problem found while resolving one item. Spans count from the start of the item the
/// problem is reported in (the item whose resolution found it), but for
/// [`Problem::NodePort`], whose port spans count from the start of `component`.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub enum Problem<'db> {
    // Paths (every kind of item).
    /// A path named `found`, which is not of one of `kinds`.
    WrongKind {
        span: Span,
        found: Item<'db>,
        kinds: Vec<ItemKind>,
    },
    /// `segment` of `path` names nothing in scope.
    NotFound {
        path: ast::Path,
        segment: ast::Ident,
        kinds: Vec<ItemKind>,
    },
    /// `module.segment` where the module has no such item.
    NotInModule {
        segment: ast::Ident,
        module: SourceFile,
        kinds: Vec<ItemKind>,
    },
    /// A module alias where an item is expected.
    ModuleNotItem {
        span: Span,
        module: SourceFile,
        kinds: Vec<ItemKind>,
    },
    /// Two glob imports provide different items of this name.
    AmbiguousGlob {
        segment: ast::Ident,
        items: Vec<Item<'db>>,
    },
    /// `parent.ident` where the parent has no such part; `candidates` are the names it has.
    NoMember {
        ident: ast::Ident,
        part: Part,
        parent: Item<'db>,
        candidates: Vec<Name>,
    },
    /// A part given twice; `previous` is where it was first given.
    DuplicateMember {
        part: Part,
        ident: ast::Ident,
        previous: Span,
    },
    /// A port specification that does not evaluate to ports (constants only).
    InvalidPort {
        error: PortError,
    },
    // Documents.
    /// A `sections` name that is no section of the documents.
    UnknownSection {
        ident: ast::Ident,
    },
    /// A second `sections` list in one `document`: the span of its keyword, and of the first
    /// list's.
    SecondSections {
        keyword: Span,
        previous: Span,
    },

    /// A trust level that does not exist.
    UnknownTrust {
        level: ast::Ident,
    },
    /// An address or network that does not parse.
    InvalidAddress {
        address: ast::AddressLit,
        error: AddressError,
    },

    // Components.
    UnknownType {
        ty: ast::Ident,
    },
    /// A parameter's default that does not fit its type.
    BadDefault {
        param: Name,
        ty: ParamType,
        value: Value,
        mismatch: TypeMismatch,
    },
    /// An expression of the component that could not be evaluated.
    Eval {
        error: EvalError,
    },
    /// A name that is not a parameter of the component, where a parameter of type `wanted` is used.
    UnknownParam {
        ident: ast::Ident,
        wanted: ParamType,
    },
    /// Parameters whose defaults depend on each other, in dependency order.
    ParamCycle {
        members: Vec<Name>,
    },
    /// `when param` where the parameter is not a `bool`.
    ConditionNotBool {
        condition: ast::Condition,
        param: Name,
    },
    /// `local Component.port` on a port that is not an output.
    LocalOnInput {
        port: ast::PortDecl,
    },
    /// `local` followed by something other than `Component.port` on the output `port`; `peer`
    /// is the component the path names, when it names a component but no port.
    BadLocalPath {
        path: ast::Path,
        peer: Option<Item<'db>>,
        port: ast::PortDecl,
    },
    /// `local Component.port` where that port is not an input of it; `found` is the kind of
    /// the port of that name, `inputs` the component's inputs.
    BadPeerPort {
        port: ast::Ident,
        peer: Item<'db>,
        found: Option<PortKind>,
        inputs: Vec<Name>,
    },
    /// `relay` (at `span`) on a port that is not an input.
    RelayOnOutput {
        port: ast::PortDecl,
        span: Span,
    },
    /// An input without ports whose protocol has no default port.
    MissingPort {
        port: ast::PortDecl,
        protocol: Item<'db>,
    },

    // Nodes.
    /// `in zone` on a node declared inside another zone's block.
    TwoZones {
        path: ast::Path,
    },
    NoZone,
    /// The component listed at `again` was listed at `first` already.
    DuplicateComponent {
        first: usize,
        again: usize,
        component: Item<'db>,
    },
    /// A setting whose value could not be computed; `meant` is its value with the node's
    /// constant settings in place of the names it uses, when that can be computed.
    NodeValue {
        set: ast::ParamSet,
        error: EvalError,
        meant: Option<Value>,
    },
    /// A setting for a parameter that none of `components` has.
    OverrideTarget {
        set: ast::ParamSet,
        components: Vec<Item<'db>>,
    },
    /// A setting that does not fit the type of parameter `param` of `component`.
    BadOverride {
        set: ast::ParamSet,
        component: Item<'db>,
        param: Name,
        mismatch: TypeMismatch,
    },
    /// Parameter `param` of `component` has no default and the node does not set it.
    RequiredParam {
        components: Vec<Item<'db>>,
        component: Item<'db>,
        param: Name,
    },
    /// A setting (`set`, in the node) that makes port `port` of `component` invalid; the
    /// error's span counts from the start of `component`.
    NodePort {
        component: Item<'db>,
        port: u32,
        set: ast::ParamSet,
        error: PortError,
    },

    // Flows.
    /// An end at port `port` of `node` whose `when` condition does not hold there.
    InactivePort {
        path: ast::Path,
        node: Item<'db>,
        port: u32,
    },
    /// A flow from a port that does not initiate, or to one that does not accept.
    FlowDirection {
        from: FlowEnd<'db>,
        to: FlowEnd<'db>,
    },
    /// A flow from a node to itself that is not a cluster.
    SelfFlow {
        from: FlowEnd<'db>,
        to: FlowEnd<'db>,
    },
    /// A `local` flow between ports of one component.
    SameComponent {
        from: FlowEnd<'db>,
    },
    /// A `local` flow between different nodes.
    LocalDifferentNodes {
        from: FlowEnd<'db>,
        to: FlowEnd<'db>,
    },
    /// A `local` flow `via` a proxy.
    LocalVia,
    /// Ends whose protocols differ.
    ProtocolMismatch {
        from: FlowEnd<'db>,
        to: FlowEnd<'db>,
    },
    /// A pinned output whose ports the input does not listen on.
    PortMismatch {
        from: FlowEnd<'db>,
        to: FlowEnd<'db>,
    },
    /// A two-way flow between peers `via` a proxy.
    TwoWayVia,
    /// `path` could mean any of these ports of `node`.
    AmbiguousPort {
        path: ast::Path,
        node: Item<'db>,
        ports: Vec<u32>,
    },
    /// Both ends name only a node.
    NoPort {
        from: ast::Path,
        to: ast::Path,
    },
    /// No port of `node` speaks the protocol of port `port` of `other` (the other end).
    NoPortFor {
        path: ast::Path,
        node: Item<'db>,
        other: Item<'db>,
        port: u32,
    },
    /// `via node.port` where that port does not relay.
    NotRelaying {
        path: ast::Path,
        node: Item<'db>,
        port: u32,
    },
    /// `via node` where no one relaying input of the node fits; `relays` are its relaying
    /// inputs, `destination` the node and port the flow goes to.
    CannotRelay {
        path: ast::Path,
        node: Item<'db>,
        relays: Vec<u32>,
        destination: (Item<'db>, u32),
    },
}
