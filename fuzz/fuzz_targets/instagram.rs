#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mutual_fuzz::parse(mutual_import::Format::Instagram, data));
