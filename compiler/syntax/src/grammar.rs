//! The pest parser generated from `portolan.pest`, and its `Rule` enum.

#[derive(pest_derive::Parser)]
#[grammar = "portolan.pest"]
pub struct Grammar;
