//! Turns Django's gzipped common-password list into a sorted, de-duplicated text that the crate
//! embeds, so a lookup is a binary search and the browser build carries no decompressor.

use std::io::{BufRead, BufReader, Write};
use std::{env, fs, path::PathBuf};

const LIST: &str = "data/common-passwords-20k.txt.gz";

fn main() {
    println!("cargo:rerun-if-changed={LIST}");
    let gz = fs::File::open(LIST).expect("the common-password list ships with the crate");
    let mut passwords: Vec<String> = BufReader::new(flate2::read::GzDecoder::new(gz))
        .lines()
        .map(|line| line.expect("the list is UTF-8 text").trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    passwords.sort_unstable();
    passwords.dedup();
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut file = fs::File::create(out.join("common-passwords.txt")).expect("OUT_DIR is writable");
    file.write_all(passwords.join("\n").as_bytes())
        .expect("OUT_DIR is writable");
}
