//! Prints one language's table on its labelled set; with `--mistakes`, also
//! the dev messages it gets wrong (never the held-out or fresh ones).
//!
//! `cargo run -p mutual-analysis --example languages -- es [--mistakes]`

#[path = "../tests/languages.rs"]
#[allow(dead_code)]
mod languages;

fn main() {
    let Some(lang) = std::env::args()
        .nth(1)
        .and_then(|a| a.parse::<mutual_analysis::lang::Lang>().ok())
    else {
        eprintln!("usage: languages es|pt|fr|de|it [--mistakes]");
        std::process::exit(2);
    };
    let examples = languages::examples(lang);
    let evaluation = languages::evaluate(lang, &examples);
    print!("{}", languages::table(lang, &evaluation));
    if std::env::args().any(|arg| arg == "--mistakes") {
        println!("\ndev mistakes:");
        print!("{}", languages::dev_mistakes(lang, &examples));
    }
}
