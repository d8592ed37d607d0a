//! Prints what one language's model is trained on (see
//! `src/text/model.rs`): a line per dev message of its labelled set, with
//! its labels, what the word lists find and its grams.
//! `scripts/models/train.py` reads it.
//!
//! `cargo run -p mutual-analysis --example grams -- es`

#[path = "../tests/languages.rs"]
#[allow(dead_code)]
mod languages;

fn main() {
    let Some(lang) = std::env::args()
        .nth(1)
        .and_then(|a| a.parse::<mutual_analysis::lang::Lang>().ok())
    else {
        eprintln!("usage: grams es|pt|fr|de|it");
        std::process::exit(2);
    };
    let examples = languages::examples(lang);
    print!("{}", languages::training_input(&examples, lang));
}
