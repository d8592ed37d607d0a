//! Prints one language's table on its labelled set; with `--mistakes`, also
//! the dev messages it gets wrong (never the held-out or fresh ones); with
//! `--grams`, only what the language's model is trained on (see
//! `src/text/model.rs`): a line per dev message with its labels, what the
//! word lists find and its grams, which `scripts/models/train.py` reads.
//!
//! `cargo run -p mutual-analysis --example languages -- es [--mistakes | --grams]`

#[path = "../tests/languages.rs"]
mod languages;

fn main() {
    let Some(lang) = std::env::args()
        .nth(1)
        .and_then(|a| a.parse::<mutual_analysis::lang::Lang>().ok())
    else {
        eprintln!("usage: languages es|pt|fr|de|it [--mistakes | --grams]");
        std::process::exit(2);
    };
    let examples = languages::examples(lang);
    if std::env::args().any(|arg| arg == "--grams") {
        print!("{}", languages::training_input(&examples, lang));
        return;
    }
    let evaluation = languages::evaluate(lang, &examples);
    print!("{}", languages::table(lang, &evaluation));
    if std::env::args().any(|arg| arg == "--mistakes") {
        println!("\ndev mistakes:");
        print!("{}", languages::dev_mistakes(lang, &examples));
    }
}
