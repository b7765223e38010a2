//! What the fuzz targets share: how one fuzz input becomes the files of a spec.

/// The files of a fuzz input, in the multi-file format of the test fixtures: `//- name.ptl` lines
/// start a new file (see `portolan_tests::split_files`).
pub fn split_files(text: &str) -> Vec<(String, String)> {
    portolan_tests::split_files(text)
}
