#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mutual_fuzz::checkin_codes(data));
