//! Word tries: phrases as paths of word and class labels, built in a map
//! and frozen into sorted child arrays, walked depth first for the longest
//! phrase at a position.

use std::collections::HashMap;
use std::hash::Hasher;

/// Trie labels at or above this are classes.
pub(super) const CLASS: u16 = 0xffe0;

/// What the trie walk needs of a word.
pub(super) trait Step {
    fn id(&self) -> u16;
    fn classes(&self) -> u32;
}

pub(super) const ROOT: u32 = 0;
pub(super) const ANCHORED_ROOT: u32 = 1;

/// A trie over words and word classes, frozen: each node's children sit
/// together, sorted by label (classes last), so a step is a short scan.
#[derive(Debug, Default)]
pub(super) struct Trie {
    nodes: Vec<Node>,
    labels: Vec<u16>,
    children: Vec<u32>,
    /// Per root, the child each class leads to (0 if none), and which
    /// classes lead anywhere.
    root_classes: [[u32; 32]; 2],
    pub(super) root_class_mask: [u32; 2],
}

#[derive(Clone, Copy, Debug, Default)]
struct Node {
    /// The marks of the phrase ending here, 0 if none.
    marks: u16,
    /// The classes some child is reached by.
    classes: u32,
    /// Its children: `labels[start..start + len]`.
    start: u32,
    len: u32,
}

impl Trie {
    /// The longest phrase at the start of `words`, from the unanchored or
    /// the anchored root: its length in words and its marks, (0, 0) if
    /// none. `first` is the node the first word's own label leads to (see
    /// `Word::first` of the lexicon). Of two phrases as long, the one through named
    /// words wins over the one through classes.
    pub(super) fn longest(&self, anchored: bool, first: u32, words: &[impl Step]) -> (usize, u16) {
        let mut best = (0, 0);
        if first != 0 {
            self.walk(first, words, 1, &mut best);
        }
        let root = usize::from(anchored);
        let mut classes = self.root_class_mask[root] & words.first().map_or(0, Step::classes);
        while classes != 0 {
            let class = classes.trailing_zeros() as usize;
            classes &= classes - 1;
            self.walk(self.root_classes[root][class], words, 1, &mut best);
        }
        best
    }

    fn walk(&self, node: u32, words: &[impl Step], depth: usize, best: &mut (usize, u16)) {
        let here = self.nodes[node as usize];
        if here.marks != 0 && depth > best.0 {
            *best = (depth, here.marks);
        }
        let Some(word) = words.get(depth) else { return };
        if here.len == 0 {
            return;
        }
        let start = here.start as usize;
        let labels = &self.labels[start..start + here.len as usize];
        if word.id() != 0 {
            if let Some(i) = find(labels, word.id()) {
                self.walk(self.children[start + i], words, depth + 1, best);
            }
        }
        let mut classes = here.classes & word.classes();
        while classes != 0 {
            let class = classes.trailing_zeros() as u16;
            classes &= classes - 1;
            if let Some(i) = find(labels, CLASS + class) {
                self.walk(self.children[start + i], words, depth + 1, best);
            }
        }
    }
}

/// The position of `label` in sorted `labels`.
fn find(labels: &[u16], label: u16) -> Option<usize> {
    if labels.len() <= 16 {
        labels.iter().position(|&l| l == label)
    } else {
        labels.binary_search(&label).ok()
    }
}

/// A trie being built.
#[derive(Debug)]
pub(super) struct TrieBuilder {
    /// (node, label) to child node.
    edges: HashMap<u64, u32>,
    marks: Vec<u16>,
}

fn edge(node: u32, label: u16) -> u64 {
    (u64::from(node) << 16) | u64::from(label)
}

impl TrieBuilder {
    pub(super) fn new() -> TrieBuilder {
        TrieBuilder {
            edges: HashMap::new(),
            marks: vec![0, 0],
        }
    }

    pub(super) fn insert(&mut self, anchored: bool, labels: &[u16], marks: u16) -> Result<(), u16> {
        let mut node = if anchored { ANCHORED_ROOT } else { ROOT };
        for &label in labels {
            let fresh = self.marks.len() as u32;
            node = *self.edges.entry(edge(node, label)).or_insert(fresh);
            if node == fresh {
                self.marks.push(0);
            }
        }
        let slot = &mut self.marks[node as usize];
        if *slot != 0 && *slot != marks {
            return Err(*slot);
        }
        *slot = marks;
        Ok(())
    }

    pub(super) fn child(&self, node: u32, label: u16) -> Option<u32> {
        self.edges.get(&edge(node, label)).copied()
    }

    pub(super) fn freeze(&self) -> Trie {
        let mut edges: Vec<(u32, u16, u32)> = self
            .edges
            .iter()
            .map(|(&key, &child)| ((key >> 16) as u32, key as u16, child))
            .collect();
        edges.sort_unstable();
        let mut trie = Trie {
            nodes: self
                .marks
                .iter()
                .map(|&marks| Node {
                    marks,
                    ..Node::default()
                })
                .collect(),
            labels: edges.iter().map(|&(_, label, _)| label).collect(),
            children: edges.iter().map(|&(_, _, child)| child).collect(),
            ..Trie::default()
        };
        for (i, &(parent, label, child)) in edges.iter().enumerate() {
            let node = &mut trie.nodes[parent as usize];
            if node.len == 0 {
                node.start = i as u32;
            }
            node.len += 1;
            if label >= CLASS {
                let class = label - CLASS;
                node.classes |= 1 << class;
                if parent == ROOT || parent == ANCHORED_ROOT {
                    trie.root_classes[parent as usize][usize::from(class)] = child;
                    trie.root_class_mask[parent as usize] |= 1 << class;
                }
            }
        }
        trie
    }
}

/// A small, fast hasher for the word table and trie edges: a folded
/// multiply per eight bytes. Not for untrusted keys in general, but the keys
/// here are the words of one message, looked up in tables we wrote.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Fold(u64);

impl Fold {
    fn mix(&mut self, n: u64) {
        let product = u128::from(self.0 ^ n) * 0x9E37_79B9_7F4A_7C15;
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }
}

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ (rest.len() as u64) << 59);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn write_u128(&mut self, n: u128) {
        self.mix(n as u64);
        let high = (n >> 64) as u64;
        if high != 0 {
            self.mix(high);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, BuildHasherDefault};

    use super::*;

    #[derive(Clone, Copy)]
    struct W(u16, u32);

    impl Step for W {
        fn id(&self) -> u16 {
            self.0
        }

        fn classes(&self) -> u32 {
            self.1
        }
    }

    #[test]
    fn the_longest_phrase_wins_through_words_or_classes() -> Result<(), u16> {
        // Words 1 2 3; class 0 holds words 7 and 8.
        let mut builder = TrieBuilder::new();
        builder.insert(false, &[1], 0x1)?;
        builder.insert(false, &[1, 2, 3], 0x2)?;
        builder.insert(false, &[1, CLASS], 0x4)?;
        builder.insert(true, &[CLASS, 2], 0x8)?;
        assert_eq!(
            builder.insert(false, &[1], 0x10),
            Err(0x1),
            "one phrase, two flags"
        );
        let trie = builder.freeze();
        let first = |id| builder.child(ROOT, id).unwrap_or(0);
        let longest = |anchored, words: &[W]| trie.longest(anchored, first(words[0].0), words);
        assert_eq!(longest(false, &[W(1, 0), W(2, 0), W(3, 0)]), (3, 0x2));
        assert_eq!(longest(false, &[W(1, 0), W(2, 0), W(9, 0)]), (1, 0x1));
        assert_eq!(longest(false, &[W(1, 0), W(7, 1)]), (2, 0x4));
        assert_eq!(longest(false, &[W(8, 1), W(2, 0)]), (0, 0), "anchored only");
        assert_eq!(trie.longest(true, 0, &[W(8, 1), W(2, 0)]), (2, 0x8));
        assert_eq!(longest(false, &[W(5, 0)]), (0, 0));
        Ok(())
    }

    #[test]
    fn the_hasher_spreads_short_keys() {
        let build = BuildHasherDefault::<Fold>::default();
        let mut seen: Vec<_> = (0..1000u64)
            .map(|n| build.hash_one(edge(n as u32, 7)) >> 54)
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert!(
            seen.len() > 500,
            "the top bits of 1000 keys take {} values",
            seen.len()
        );
    }
}
