//! Word tries: phrases as paths of word and class labels, built in a map
//! and frozen into sorted child arrays, walked depth first for the longest
//! phrase at a position.

use rustc_hash::FxHashMap as HashMap;

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
            edges: HashMap::default(),
            marks: vec![0, 0],
        }
    }

    /// The child of `node` by `label`, made if it is new.
    pub(super) fn child_or_insert(&mut self, node: u32, label: u16) -> u32 {
        let fresh = self.marks.len() as u32;
        let child = *self.edges.entry(edge(node, label)).or_insert(fresh);
        if child == fresh {
            self.marks.push(0);
        }
        child
    }

    /// Ends a phrase with `marks` at `node`; a phrase with other marks
    /// there already is an error, and keeps them.
    pub(super) fn mark(&mut self, node: u32, marks: u16) -> Result<(), u16> {
        let slot = &mut self.marks[node as usize];
        if *slot != 0 && *slot != marks {
            return Err(*slot);
        }
        *slot = marks;
        Ok(())
    }

    #[cfg(test)]
    pub(super) fn insert(&mut self, anchored: bool, labels: &[u16], marks: u16) -> Result<(), u16> {
        let root = if anchored { ANCHORED_ROOT } else { ROOT };
        let node = labels
            .iter()
            .fold(root, |node, &label| self.child_or_insert(node, label));
        self.mark(node, marks)
    }

    /// The marks of the phrase ending at `node`, 0 if none.
    #[cfg(test)]
    pub(super) fn marks(&self, node: u32) -> u16 {
        self.marks[node as usize]
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

#[cfg(test)]
mod tests {
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
}
