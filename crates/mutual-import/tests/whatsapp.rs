//! WhatsApp: every fixture, the layouts no fixture has, errors, and bytes
//! that must not panic the parser.

use mutual_import::Format;

use crate::common;

mod fixtures {
    use super::*;

    macro_rules! fixtures {
        ($($name:ident => $file:literal,)*) => {$(
            #[test]
            fn $name() {
                common::check(concat!("whatsapp/", $file), Format::WhatsApp);
            }
        )*};
    }

    fixtures! {
        chatistics_chat => "Chatistics___chat.txt",
        chatistics_chat_2 => "Chatistics___chat_2.txt",
        chatistics_chat_3 => "Chatistics___chat_3.txt",
        chatistics_chat_4 => "Chatistics___chat_4.txt",
        chat_miner_bracketed_mmddyy_24hrs => "chat-miner__test_bracketed_mmddyy_24hrs.txt",
        chat_miner_dateformat2 => "chat-miner__test_dateformat2.txt",
        chat_miner_dateformat3 => "chat-miner__test_dateformat3.txt",
        chat_miner_dateformat4 => "chat-miner__test_dateformat4.txt",
        chat_miner_dateformat5 => "chat-miner__test_dateformat5.txt",
        chat_miner_dateformat6 => "chat-miner__test_dateformat6.txt",
        chat_miner_ddmmyy_24hrs => "chat-miner__test_ddmmyy_24hrs.txt",
        chat_miner_mmddyy_24hrs => "chat-miner__test_mmddyy_24hrs.txt",
        chat_miner_mmddyyyy_12hrs => "chat-miner__test_mmddyyyy_12hrs.txt",
        chat_miner_unicode => "chat-miner__test_unicode.txt",
        chat_miner_yyyymmdd_24hrs => "chat-miner__test_yyyymmdd_24hrs.txt",
        chat_miner_testlog => "chat-miner__testlog.txt",
        rb_sample_mixed => "whatsapp-chat-parser-rb__sample_mixed.txt",
        pustur_short_chat => "whatsapp-chat-parser__short-chat.txt",
        nmoya_test_chat_2 => "whatsapp-parser__testChat2.txt",
    }
}
