//! Where an export's bytes come from: a file, an entry of a `.zip`, or
//! bytes in memory. Every [`Input::open`] starts a fresh stream from the
//! beginning, so a parser may look ahead (to settle a day/month order, say)
//! and then read again, without holding the file in memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{Error, Position};

/// One export to parse.
#[derive(Clone, Debug)]
pub struct Input {
    /// What the user named: the path as given, or a label for bytes.
    name: String,
    source: Source,
}

#[derive(Clone, Debug)]
enum Source {
    File(PathBuf),
    Bytes(Arc<[u8]>),
    Zip(ZipEntry),
}

#[derive(Clone, Debug)]
struct ZipEntry {
    archive: PathBuf,
    entry: String,
    data_start: u64,
    compressed_size: u64,
    deflated: bool,
    /// The CRC-32 and size the archive records for the entry's data.
    crc32: u32,
    size: u64,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";

impl Input {
    /// The file at `path`. A `.zip` (by its first bytes) is opened at the
    /// chat it holds: WhatsApp's `_chat.txt` or `WhatsApp Chat with ….txt`,
    /// otherwise its only `.txt`, `.json`, `.xml` or `.html` file.
    pub fn file(path: &Path) -> Result<Input, Error> {
        let name = path.display().to_string();
        let mut magic = [0u8; 4];
        let mut file = File::open(path)?;
        let got = read_up_to(&mut file, &mut magic)?;
        if got == 4 && (magic == ZIP_MAGIC || magic == EMPTY_ZIP_MAGIC) {
            let entry = ZipEntry::find(path)?;
            return Ok(Input {
                name,
                source: Source::Zip(entry),
            });
        }
        Ok(Input {
            name,
            source: Source::File(path.to_owned()),
        })
    }

    /// Bytes in memory, labelled `name` (a file name, used for hints like
    /// WhatsApp's "WhatsApp Chat with Sam.txt").
    pub fn bytes(name: &str, bytes: impl Into<Arc<[u8]>>) -> Input {
        Input {
            name: name.to_owned(),
            source: Source::Bytes(bytes.into()),
        }
    }

    /// The name the user gave (the path, as typed).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The path of a plain file; `None` for zip entries and bytes. Formats
    /// that are databases need one.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::File(p) => Some(p),
            _ => None,
        }
    }

    /// The file name of the chat itself (a zip's entry, else the file), without directories.
    pub fn file_name(&self) -> &str {
        match &self.source {
            Source::Zip(z) => base_name(&z.entry),
            _ => base_name(&self.name),
        }
    }

    /// The best name for the chat that the file names give: the file stem,
    /// or the archive's stem when the entry has a generic name (`_chat.txt`).
    pub fn stem(&self) -> &str {
        let own = strip_extension(self.file_name());
        match &self.source {
            Source::Zip(z) if own.trim_start_matches('_').eq_ignore_ascii_case("chat") => {
                strip_extension(base_name(z.archive.to_str().unwrap_or_default()))
            }
            _ => own,
        }
    }

    /// A fresh stream of the chat's bytes, from the start. A text saved as
    /// UTF-16 (it starts with a UTF-16 byte-order mark) is transcoded to
    /// UTF-8 as it streams, so that every format reads it as it reads UTF-8.
    pub fn open(&self) -> io::Result<Box<dyn BufRead + Send>> {
        let mut raw = self.open_raw()?;
        let mut start = [0u8; 2];
        let got = read_up_to(&mut raw, &mut start)?;
        let utf16 = got == 2 && is_utf16(&start);
        // The bytes read to look, put back in front.
        let whole = Cursor::new(start).take(got as u64).chain(raw);
        if utf16 {
            return Ok(utf16_to_utf8(whole));
        }
        Ok(Box::new(whole))
    }

    /// Whether the chat's bytes start with a UTF-16 byte-order mark, so
    /// that [`Input::open`] transcodes them: byte offsets into its file then
    /// say nothing of the stream.
    pub(crate) fn is_utf16(&self) -> io::Result<bool> {
        let mut start = [0u8; 2];
        let got = read_up_to(&mut self.open_raw()?, &mut start)?;
        Ok(got == 2 && is_utf16(&start))
    }

    /// The chat's bytes as stored.
    fn open_raw(&self) -> io::Result<Box<dyn BufRead + Send>> {
        const BUFFER: usize = 256 * 1024;
        match &self.source {
            Source::File(path) => Ok(Box::new(BufReader::with_capacity(BUFFER, File::open(path)?))),
            Source::Bytes(bytes) => Ok(Box::new(Cursor::new(Arc::clone(bytes)))),
            Source::Zip(z) => {
                let mut file = File::open(&z.archive)?;
                file.seek(SeekFrom::Start(z.data_start))?;
                let raw = BufReader::with_capacity(BUFFER, file.take(z.compressed_size));
                let data: Box<dyn Read + Send> = if z.deflated {
                    Box::new(flate2::bufread::DeflateDecoder::new(raw))
                } else {
                    Box::new(raw)
                };
                Ok(Box::new(BufReader::with_capacity(BUFFER, Checked::new(data, z))))
            }
        }
    }

    /// Like [`Input::open`], for readers that buffer themselves (as
    /// [`crate::lines::Lines`] does): a plain file is read directly rather
    /// than copied through a second buffer.
    pub fn open_unbuffered(&self) -> io::Result<Box<dyn Read + Send>> {
        match &self.source {
            Source::File(path) => {
                let mut file = File::open(path)?;
                let mut start = [0u8; 2];
                if read_up_to(&mut file, &mut start)? == 2 && is_utf16(&start) {
                    return Ok(Box::new(self.open()?));
                }
                file.seek(SeekFrom::Start(0))?;
                Ok(Box::new(file))
            }
            _ => Ok(Box::new(self.open()?)),
        }
    }

    /// Up to `limit` bytes from the start, for format detection.
    pub fn head(&self, limit: usize) -> io::Result<Vec<u8>> {
        let mut head = Vec::with_capacity(limit.min(1 << 20));
        self.open()?.take(limit as u64).read_to_end(&mut head)?;
        Ok(head)
    }
}

impl ZipEntry {
    fn find(archive: &Path) -> Result<ZipEntry, Error> {
        let not_a_zip = |e: zip::result::ZipError| {
            Error::unreadable(
                Position::Whole,
                format!("the zip cannot be read ({e})"),
                "an intact .zip archive",
            )
        };
        let file = BufReader::new(File::open(archive)?);
        let mut zip = zip::ZipArchive::new(file).map_err(not_a_zip)?;
        let mut best: Option<(u8, usize)> = None;
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(not_a_zip)?;
            if entry.is_dir() {
                continue;
            }
            let name = base_name(entry.name()).to_ascii_lowercase();
            let rank = if name == "_chat.txt" || name.starts_with("whatsapp chat") {
                3
            } else if name.ends_with(".txt") {
                2
            } else if name.ends_with(".json") || name.ends_with(".xml") || name.ends_with(".html") {
                1
            } else {
                continue;
            };
            if best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, i));
            }
        }
        let Some((_, index)) = best else {
            return Err(Error::unreadable(
                Position::Whole,
                "the zip holds no chat (no .txt, .json, .xml or .html file)",
                "a chat export, such as the .zip WhatsApp's \"Export chat\" shares (with _chat.txt inside)",
            ));
        };
        let entry = zip.by_index_raw(index).map_err(not_a_zip)?;
        let deflated = match entry.compression() {
            zip::CompressionMethod::Stored => false,
            zip::CompressionMethod::Deflated => true,
            other => {
                return Err(Error::unreadable(
                    Position::Whole,
                    format!("the chat in the zip is compressed with {other:?}"),
                    "a zip whose chat is stored or deflated, as WhatsApp writes it",
                ));
            }
        };
        let data_start = entry.data_start();
        Ok(ZipEntry {
            archive: archive.to_owned(),
            entry: entry.name().to_owned(),
            data_start,
            compressed_size: entry.compressed_size(),
            deflated,
            crc32: entry.crc32(),
            size: entry.size(),
        })
    }
}

/// A zip entry's data, checked as it streams by against the CRC-32 and
/// size the archive records: a stream that ends with either one wrong (the
/// archive was damaged after it was written) fails instead of ending.
struct Checked<R> {
    inner: R,
    crc: flate2::Crc,
    read: u64,
    entry: String,
    expected_crc: u32,
    expected_size: u64,
}

impl<R: Read> Checked<R> {
    fn new(inner: R, entry: &ZipEntry) -> Self {
        Checked {
            inner,
            crc: flate2::Crc::new(),
            read: 0,
            entry: entry.entry.clone(),
            expected_crc: entry.crc32,
            expected_size: entry.size,
        }
    }

    fn damaged(&self, why: &str) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the chat inside the archive ({}) is damaged: {why}; expected an intact export \
                 (export the chat again, or copy the .zip again)",
                self.entry
            ),
        )
    }

    /// At the end of the data: its size and checksum are the archive's.
    fn verify(&self) -> io::Result<()> {
        if self.read != self.expected_size {
            return Err(self.damaged(&format!(
                "its data is {} bytes long where the archive records {}",
                self.read, self.expected_size
            )));
        }
        if self.crc.sum() != self.expected_crc {
            return Err(self.damaged("its data does not match the checksum (CRC-32) the archive records"));
        }
        Ok(())
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            // The inflater's word for data that is no deflate stream.
            Err(e) if matches!(e.kind(), io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData) => {
                return Err(self.damaged(&format!("its compressed data cannot be inflated ({e})")));
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(self.damaged("its compressed data ends early"));
            }
            Err(e) => return Err(e),
        };
        if n == 0 && !buf.is_empty() {
            self.verify()?;
        }
        let got = buf.get(..n).unwrap_or_default();
        self.crc.update(got);
        self.read += n as u64;
        Ok(n)
    }
}

/// A UTF-16 byte-order mark, little- or big-endian.
fn is_utf16(start: &[u8]) -> bool {
    matches!(start, [0xFF, 0xFE] | [0xFE, 0xFF])
}

/// UTF-16 (with its byte-order mark, which says which) as UTF-8, without
/// the mark. Unpaired surrogates become U+FFFD.
fn utf16_to_utf8(utf16: impl Read + Send + 'static) -> Box<dyn BufRead + Send> {
    const BUFFER: usize = 64 * 1024;
    let utf8 = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .bom_sniffing(true)
        .strip_bom(true)
        .build_with_buffer(utf16, vec![0; BUFFER])
        .expect("only a buffer too small for one character is refused");
    Box::new(BufReader::with_capacity(4 * BUFFER, utf8))
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn strip_extension(name: &str) -> &str {
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_with(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> tempfile::NamedTempFile {
        let file = tempfile::Builder::new()
            .suffix(".zip")
            .tempfile()
            .expect("temp file");
        let mut zip = zip::ZipWriter::new(file.reopen().expect("reopen"));
        for (name, bytes) in entries {
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            zip.start_file(*name, options).expect("start entry");
            zip.write_all(bytes).expect("write entry");
        }
        zip.finish().expect("finish zip");
        file
    }

    #[test]
    fn a_zip_opens_at_its_chat_for_both_compressions() {
        let chat = "12/31/24, 21:03 - Sam: hi\n".repeat(1000);
        for method in [zip::CompressionMethod::Stored, zip::CompressionMethod::Deflated] {
            let zip = zip_with(
                &[("IMG-1.jpg", b"\xff\xd8"), ("_chat.txt", chat.as_bytes())],
                method,
            );
            let input = Input::file(zip.path()).expect("a zip with a chat");
            let mut got = String::new();
            input
                .open()
                .expect("open")
                .read_to_string(&mut got)
                .expect("read");
            assert_eq!(got, chat);
            assert_eq!(input.file_name(), "_chat.txt");
            assert!(input.path().is_none());
        }
    }

    /// `zip` with one byte of its entry's stored data changed, its
    /// recorded CRC-32 kept.
    fn damage(zip: &tempfile::NamedTempFile, at: usize) {
        let mut bytes = std::fs::read(zip.path()).expect("read zip");
        // The local header is 30 bytes and the name; the data follows.
        let name_len = usize::from(u16::from_le_bytes([bytes[26], bytes[27]]));
        let extra_len = usize::from(u16::from_le_bytes([bytes[28], bytes[29]]));
        bytes[30 + name_len + extra_len + at] ^= 0x20;
        std::fs::write(zip.path(), bytes).expect("write zip");
    }

    fn read_all(input: &Input) -> io::Result<String> {
        let mut got = String::new();
        input.open()?.read_to_string(&mut got)?;
        Ok(got)
    }

    #[test]
    fn a_damaged_zip_entry_fails_its_read() {
        let chat = "12/31/24, 21:03 - Sam: hi there\n".repeat(2000);
        let stored = zip_with(&[("_chat.txt", chat.as_bytes())], zip::CompressionMethod::Stored);
        let input = Input::file(stored.path()).expect("a zip with a chat");
        assert_eq!(read_all(&input).expect("intact"), chat);
        // A letter of a stored message changed: still text, still a chat.
        damage(&stored, 30_000);
        let err = read_all(&input).expect_err("damaged");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let message = err.to_string();
        assert!(
            message
                .starts_with("the chat inside the archive (_chat.txt) is damaged: its data does not match")
                && message.contains("expected an intact export"),
            "{message}"
        );
        // The parse fails with it, rather than importing the changed text.
        let err = crate::collect(&input, None, &crate::Options::default()).expect_err("damaged");
        assert!(
            matches!(&err, Error::Io(e) if e.kind() == io::ErrorKind::InvalidData),
            "{err}"
        );
        assert!(err.to_string().contains("is damaged"), "{err}");

        let deflated = zip_with(
            &[("_chat.txt", chat.as_bytes())],
            zip::CompressionMethod::Deflated,
        );
        damage(&deflated, 40);
        let input = Input::file(deflated.path()).expect("a zip with a chat");
        let err = read_all(&input).expect_err("damaged");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("is damaged"), "{err}");
    }

    #[test]
    fn a_damaged_json_chat_fails_though_its_document_ends_early() {
        // The JSON parsers stop at the document's end: they read on to the
        // end of the entry all the same, where the check is made.
        let json = format!(
            r#"{{"name": "Sam", "messages": [{{"id": 1, "type": "message", "date": "2024-05-01T21:03:00", "from": "Sam", "text": "hi there"}}]}}{}"#,
            " ".repeat(300_000)
        );
        let stored = zip_with(
            &[("result.json", json.as_bytes())],
            zip::CompressionMethod::Stored,
        );
        let input = Input::file(stored.path()).expect("a zip with a chat");
        let (format, got) = crate::collect(&input, None, &crate::Options::default()).expect("intact");
        assert_eq!(
            (format, got.messages[0].text.as_str()),
            (crate::Format::Telegram, "hi there")
        );
        // "hi there" becomes "hI there".
        damage(&stored, json.find("hi there").expect("the text") + 1);
        let err = crate::collect(&input, None, &crate::Options::default()).expect_err("damaged");
        assert!(err.to_string().contains("is damaged"), "{err}");
    }

    #[test]
    fn a_zip_entry_shorter_than_recorded_fails_its_read() {
        let chat = "12/31/24, 21:03 - Sam: hi\n".repeat(100);
        let stored = zip_with(&[("_chat.txt", chat.as_bytes())], zip::CompressionMethod::Stored);
        let mut input = Input::file(stored.path()).expect("a zip with a chat");
        if let Source::Zip(z) = &mut input.source {
            z.size += 1;
        }
        let err = read_all(&input).expect_err("too short");
        assert!(
            err.to_string().contains("bytes long where the archive records"),
            "{err}"
        );
    }

    #[test]
    fn a_zip_without_a_chat_is_unreadable() {
        let zip = zip_with(&[("IMG-1.jpg", b"\xff\xd8")], zip::CompressionMethod::Stored);
        let err = Input::file(zip.path()).expect_err("no chat inside");
        assert!(err.to_string().contains("no .txt"), "{err}");
    }

    #[test]
    fn stems_name_the_chat() {
        assert_eq!(
            Input::bytes("dir/WhatsApp Chat with Sam.txt", &b""[..]).stem(),
            "WhatsApp Chat with Sam"
        );
        assert_eq!(Input::bytes("result.json", &b""[..]).stem(), "result");
    }
}
