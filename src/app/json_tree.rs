//! A JSON body as a tree of rows to fold and unfold, built lazily over the body's bytes: no
//! `serde_json::Value` is made. The body is checked once (serde_json, off the UI thread); then a
//! container's direct children are found by one scan of its own text when it is first opened
//! (also off the UI thread when the container is large), each with its byte span and, for a
//! container, its number of children. Only the rows on screen are ever laid out; the list of
//! visible rows is a flat `Vec` of node indices, spliced when a node opens or closes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::body::CancelFlag;
use super::job::{self, Job};

/// What a node's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// A node without children found yet.
const UNSCANNED: u32 = u32::MAX;
/// The root's parent.
const NO_PARENT: u32 = u32::MAX;

/// A container opened automatically when the tree is first shown stays under these.
const AUTO_OPEN_BYTES: u64 = 64 * 1024;
const AUTO_OPEN_ROWS: usize = 200;
const AUTO_OPEN_DEPTH: u16 = 3;

/// Containers larger than this are scanned on a background thread when opened.
pub const SCAN_INLINE_BYTES: u64 = 1024 * 1024;

/// One value of the document: where it is in the body, and where it sits in the tree.
#[derive(Clone, Copy, Debug)]
pub struct JsonNode {
    /// Byte span of the value in the body.
    pub start: u64,
    pub end: u64,
    /// An object member: offset of its key's opening quote. An array item: its index.
    key: u64,
    /// Children of an object or array (counted when its parent was scanned).
    pub count: u32,
    parent: u32,
    /// First of its `count` children in the node list (they are contiguous), once scanned.
    children: u32,
    pub depth: u16,
    pub kind: JsonKind,
    in_object: bool,
    pub open: bool,
}

impl JsonNode {
    pub fn is_container(&self) -> bool {
        matches!(self.kind, JsonKind::Object | JsonKind::Array)
    }

    pub fn is_scanned(&self) -> bool {
        self.children != UNSCANNED
    }

    pub fn size_bytes(&self) -> u64 {
        self.end - self.start
    }
}

/// The children of one container, found by [`scan_children`].
pub struct Scanned {
    pub parent: u32,
    pub nodes: Vec<JsonNode>,
}

/// A JSON document as a foldable tree (see the module doc).
pub struct JsonTree {
    body: Arc<[u8]>,
    nodes: NodeStore,
    /// The visible rows, in order: indices into `nodes`.
    rows: Vec<u32>,
}

/// The nodes, in chunks: the children of each opened container are one chunk, kept as the scan
/// made it, so opening a container of millions of items moves no node (the window's frame only
/// links the chunk in). Ids run on from chunk to chunk.
#[derive(Default)]
struct NodeStore {
    chunks: Vec<Vec<JsonNode>>,
    /// The id of each chunk's first node.
    firsts: Vec<u32>,
    len: u32,
}

impl NodeStore {
    /// Adds a chunk; returns the id of its first node.
    fn push_chunk(&mut self, nodes: Vec<JsonNode>) -> u32 {
        let first = self.len;
        self.len += nodes.len() as u32;
        self.firsts.push(first);
        self.chunks.push(nodes);
        first
    }

    fn locate(&self, id: u32) -> Option<(usize, usize)> {
        if id >= self.len {
            return None;
        }
        let chunk = self.firsts.partition_point(|&f| f <= id).checked_sub(1)?;
        Some((chunk, (id - self.firsts[chunk]) as usize))
    }

    fn get(&self, id: u32) -> Option<&JsonNode> {
        self.locate(id).and_then(|(c, i)| self.chunks.get(c)?.get(i))
    }
}

impl std::ops::Index<u32> for NodeStore {
    type Output = JsonNode;
    fn index(&self, id: u32) -> &JsonNode {
        let (c, i) = self.locate(id).unwrap_or((usize::MAX, 0));
        &self.chunks[c][i]
    }
}

impl std::ops::IndexMut<u32> for NodeStore {
    fn index_mut(&mut self, id: u32) -> &mut JsonNode {
        let (c, i) = self.locate(id).unwrap_or((usize::MAX, 0));
        &mut self.chunks[c][i]
    }
}

/// How a node's key reads: a member name, an array index, or the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKey {
    Root,
    Name(String),
    Index(u64),
}

impl JsonTree {
    /// Checks `body` is JSON and builds the tree with its first levels open. `Err` says why the
    /// body is not JSON (with its line and column); `Ok(None)` if cancelled.
    pub fn build(body: Arc<[u8]>, cancel: &AtomicBool) -> Result<Option<Self>, String> {
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
            return Err(format!("The body is not valid JSON: {e}"));
        }
        let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
        let end = body.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
        let (kind, count) = describe(&body, start, end);
        let root = JsonNode {
            start: start as u64,
            end: end as u64,
            key: 0,
            count,
            parent: NO_PARENT,
            children: UNSCANNED,
            depth: 0,
            kind,
            in_object: false,
            open: false,
        };
        let mut nodes = NodeStore::default();
        nodes.push_chunk(vec![root]);
        let mut tree = Self { body, nodes, rows: vec![0] };
        if !tree.nodes[0].is_container() {
            return Ok(Some(tree));
        }
        let Some(children) = scan_children(&tree.body, 0, &tree.nodes[0], cancel) else { return Ok(None) };
        tree.attach(children);
        tree.open_at_row(0);
        tree.auto_open();
        Ok(Some(tree))
    }

    /// Opens small containers breadth first, a few levels down, while the rows stay few.
    fn auto_open(&mut self) {
        let never = AtomicBool::new(false);
        let mut level: Vec<u32> = self.children_of(0).collect();
        for _ in 1..AUTO_OPEN_DEPTH {
            let mut next = Vec::new();
            for id in level {
                let node = self.nodes[id];
                if !node.is_container() || node.size_bytes() > AUTO_OPEN_BYTES {
                    continue;
                }
                if self.rows.len() + node.count as usize > AUTO_OPEN_ROWS {
                    return;
                }
                if let Some(scanned) = scan_children(&self.body, id, &node, &never) {
                    self.attach(scanned);
                }
                if let Some(row) = self.row_of(id) {
                    self.open_at_row(row);
                }
                next.extend(self.children_of(id));
            }
            level = next;
        }
    }

    pub fn body(&self) -> &Arc<[u8]> {
        &self.body
    }

    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The node shown on row `row`.
    pub fn row(&self, row: usize) -> Option<(u32, &JsonNode)> {
        let id = *self.rows.get(row)?;
        Some((id, &self.nodes[id]))
    }

    pub fn node(&self, id: u32) -> Option<&JsonNode> {
        self.nodes.get(id)
    }

    /// The node's parent (`None` for the root).
    pub fn parent(&self, id: u32) -> Option<u32> {
        self.nodes.get(id).map(|n| n.parent).filter(|&p| p != NO_PARENT)
    }

    /// The row a node is shown on, if it is visible.
    pub fn row_of(&self, id: u32) -> Option<usize> {
        self.rows.iter().position(|&r| r == id)
    }

    fn children_of(&self, id: u32) -> impl Iterator<Item = u32> + use<> {
        let node = self.nodes[id];
        let first = if node.is_scanned() { node.children } else { 0 };
        let n = if node.is_scanned() { node.count } else { 0 };
        first..first + n
    }

    /// Puts scanned children in place (a scan that arrives for a node already scanned is dropped).
    pub fn attach(&mut self, scanned: Scanned) {
        let Some(parent) = self.nodes.get(scanned.parent) else { return };
        if parent.is_scanned() {
            return;
        }
        let count = scanned.nodes.len() as u32;
        // A chunk of its own: nothing is copied, however many children (see `NodeStore`).
        let first = self.nodes.push_chunk(scanned.nodes);
        let parent = &mut self.nodes[scanned.parent];
        parent.children = first;
        parent.count = count;
    }

    /// Opens or closes the container on `row`. Returns the node to scan first if its children
    /// are not known yet (the caller scans it, inline or in the background, then calls
    /// [`Self::attach`] and this again).
    pub fn toggle_row(&mut self, row: usize) -> Option<JsonNode> {
        let id = *self.rows.get(row)?;
        let node = self.nodes[id];
        if !node.is_container() {
            return None;
        }
        if node.open {
            self.close_at_row(row);
            None
        } else if node.is_scanned() {
            self.open_at_row(row);
            None
        } else {
            Some(node)
        }
    }

    /// The id of the node on `row` (what [`Self::attach`] and [`Self::open_node`] take).
    pub fn id_at(&self, row: usize) -> Option<u32> {
        self.rows.get(row).copied()
    }

    /// Opens a scanned node if it is visible and closed.
    pub fn open_node(&mut self, id: u32) {
        if let Some(row) = self.row_of(id)
            && self.nodes[id].is_scanned()
            && !self.nodes[id].open
        {
            self.open_at_row(row);
        }
    }

    fn open_at_row(&mut self, row: usize) {
        let id = self.rows[row];
        self.nodes[id].open = true;
        let mut shown = Vec::with_capacity(self.nodes[id].count as usize);
        self.visible_below(id, &mut shown);
        self.rows.splice(row + 1..row + 1, shown);
    }

    /// The rows under an open node: its children and, for those open, theirs.
    fn visible_below(&self, id: u32, out: &mut Vec<u32>) {
        for child in self.children_of(id) {
            out.push(child);
            if self.nodes[child].open {
                self.visible_below(child, out);
            }
        }
    }

    fn close_at_row(&mut self, row: usize) {
        let id = self.rows[row];
        let depth = self.nodes[id].depth;
        self.nodes[id].open = false;
        let end = self.rows[row + 1..]
            .iter()
            .position(|&r| self.nodes[r].depth <= depth)
            .map_or(self.rows.len(), |n| row + 1 + n);
        self.rows.drain(row + 1..end);
    }

    /// The key of a node, decoded.
    pub fn key(&self, id: u32) -> NodeKey {
        let Some(node) = self.nodes.get(id) else { return NodeKey::Root };
        if node.parent == NO_PARENT {
            return NodeKey::Root;
        }
        if !node.in_object {
            return NodeKey::Index(node.key);
        }
        let start = node.key as usize;
        let end = string_end(&self.body, start);
        let name = serde_json::from_slice::<String>(&self.body[start..end])
            .unwrap_or_else(|_| String::from_utf8_lossy(&self.body[start..end]).into_owned());
        NodeKey::Name(name)
    }

    /// The node's path as JSONPath: `$.data[3].name`, `$['a key']`.
    pub fn path(&self, id: u32) -> String {
        let mut chain = Vec::new();
        let mut at = id;
        while let Some(node) = self.nodes.get(at) {
            chain.push(self.key(at));
            at = node.parent;
        }
        let mut path = String::new();
        for key in chain.iter().rev() {
            match key {
                NodeKey::Root => path.push('$'),
                NodeKey::Index(i) => path.push_str(&format!("[{i}]")),
                NodeKey::Name(name) if is_plain_name(name) => {
                    path.push('.');
                    path.push_str(name);
                }
                NodeKey::Name(name) => {
                    path.push_str("['");
                    for c in name.chars() {
                        match c {
                            '\'' => path.push_str("\\'"),
                            '\\' => path.push_str("\\\\"),
                            c => path.push(c),
                        }
                    }
                    path.push_str("']");
                }
            }
        }
        path
    }

    /// The node's value as JSON text, as it is in the body.
    pub fn value_text(&self, id: u32) -> &[u8] {
        self.nodes.get(id).map_or(&[], |n| &self.body[n.start as usize..n.end as usize])
    }
}

/// Whether a member name can be written `.name` in a path (RFC 9535 member-name-shorthand).
fn is_plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// The kind of the value spanning `start..end`, and its number of children.
fn describe(body: &[u8], start: usize, end: usize) -> (JsonKind, u32) {
    match body.get(start) {
        Some(b'{') => (JsonKind::Object, count_children(&body[start..end])),
        Some(b'[') => (JsonKind::Array, count_children(&body[start..end])),
        Some(b'"') => (JsonKind::String, 0),
        Some(b't' | b'f') => (JsonKind::Bool, 0),
        Some(b'n') => (JsonKind::Null, 0),
        _ => (JsonKind::Number, 0),
    }
}

/// Counts the direct children of the container spanning all of `text`.
fn count_children(text: &[u8]) -> u32 {
    let mut depth = 0u32;
    let mut commas = 0u32;
    let mut any = false;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'"' => {
                any |= depth == 1;
                i = string_end(text, i);
                continue;
            }
            b'{' | b'[' => {
                any |= depth == 1;
                depth += 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => commas += 1,
            b' ' | b'\n' | b'\r' | b'\t' => {}
            _ => any |= depth == 1,
        }
        i += 1;
    }
    if any { commas + 1 } else { 0 }
}

/// The offset just past the string whose opening quote is at `start`.
fn string_end(text: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(at) = memchr::memchr2(b'"', b'\\', &text[i.min(text.len())..]) {
        let at = i + at;
        if text[at] == b'\\' {
            i = at + 2;
        } else {
            return at + 1;
        }
    }
    text.len()
}

/// The offset just past the value (container, string or literal) starting at `start`.
fn value_end(text: &[u8], start: usize, cancel: &AtomicBool) -> Option<usize> {
    match text.get(start) {
        Some(b'"') => Some(string_end(text, start)),
        Some(b'{' | b'[') => {
            let mut depth = 0u32;
            let mut i = start;
            while i < text.len() {
                if i.is_multiple_of(1 << 22) && cancel.load(Ordering::Relaxed) {
                    return None;
                }
                match text[i] {
                    b'"' => {
                        i = string_end(text, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            Some(text.len())
        }
        _ => {
            let n = text[start..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                .unwrap_or(text.len() - start);
            Some(start + n)
        }
    }
}

fn skip_space(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && text[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Finds the direct children of the container `node` (id `id`) in `body`, which was checked to
/// be JSON. `None` if cancelled.
pub fn scan_children(body: &[u8], id: u32, node: &JsonNode, cancel: &AtomicBool) -> Option<Scanned> {
    let in_object = node.kind == JsonKind::Object;
    let end = node.end as usize;
    let text = &body[..end];
    let mut nodes = Vec::with_capacity(node.count as usize);
    let mut i = node.start as usize + 1;
    loop {
        i = skip_space(text, i);
        if i >= end || matches!(text[i], b'}' | b']') {
            break;
        }
        let key = if in_object {
            let key = i;
            i = skip_space(text, string_end(text, i));
            i = skip_space(text, i + 1); // past ':'
            key as u64
        } else {
            nodes.len() as u64
        };
        let value_end = value_end(text, i, cancel)?;
        let (kind, count) = describe(text, i, value_end);
        nodes.push(JsonNode {
            start: i as u64,
            end: value_end as u64,
            key,
            count,
            parent: id,
            children: UNSCANNED,
            depth: node.depth + 1,
            kind,
            in_object,
            open: false,
        });
        i = skip_space(text, value_end);
        if i < end && text[i] == b',' {
            i += 1;
        }
    }
    Some(Scanned { parent: id, nodes })
}

/// The tree of one body as the window holds it: built in the background on first use, large
/// containers scanned in the background when opened, the selected node.
pub struct TreeView {
    body: Arc<[u8]>,
    building: Option<Job<Result<Option<JsonTree>, String>>>,
    tree: Option<Result<JsonTree, String>>,
    scans: Vec<(u32, Job<Option<Scanned>>)>,
    pub selected: Option<u32>,
    /// A row to bring into view on the next frame.
    pub scroll_to_row: Option<usize>,
    cancel: CancelFlag,
}

impl TreeView {
    pub fn new(body: Arc<[u8]>) -> Self {
        Self {
            body,
            building: None,
            tree: None,
            scans: Vec::new(),
            selected: None,
            scroll_to_row: None,
            cancel: CancelFlag::default(),
        }
    }

    /// The tree (or why the body has none), started in the background on first use; `None`
    /// while it is being built.
    pub fn tree(&mut self, ctx: &egui::Context) -> Option<Result<&mut JsonTree, &str>> {
        self.poll();
        if self.tree.is_none() && self.building.is_none() {
            let body = self.body.clone();
            let cancel = self.cancel.clone();
            self.building =
                Some(job::spawn(ctx, "building the JSON tree", move || JsonTree::build(body, &cancel.0)));
        }
        self.tree.as_mut().map(|t| t.as_mut().map_err(|e| e.as_str()))
    }

    fn poll(&mut self) {
        if let Some(building) = self.building.take() {
            match building.try_take() {
                Ok(Ok(Ok(Some(tree)))) => self.tree = Some(Ok(tree)),
                Ok(Ok(Ok(None))) => {}
                Ok(Ok(Err(e)) | Err(e)) => self.tree = Some(Err(e)),
                Err(building) => self.building = Some(building),
            }
        }
        let Some(Ok(tree)) = &mut self.tree else { return };
        let mut waiting = Vec::new();
        for (id, scan) in self.scans.drain(..) {
            match scan.try_take() {
                Ok(Ok(Some(scanned))) => {
                    tree.attach(scanned);
                    tree.open_node(id);
                }
                // Cancelled, or stopped: the node stays folded.
                Ok(_) => {}
                Err(scan) => waiting.push((id, scan)),
            }
        }
        self.scans = waiting;
    }

    /// Opens or closes the container on `row`; a large one not opened before is scanned in the
    /// background (see [`Self::is_scanning`]).
    pub fn toggle(&mut self, ctx: &egui::Context, row: usize) {
        let Some(Ok(tree)) = &mut self.tree else { return };
        let Some(id) = tree.id_at(row) else { return };
        if self.scans.iter().any(|(s, _)| *s == id) {
            return;
        }
        let Some(node) = tree.toggle_row(row) else { return };
        if node.size_bytes() <= SCAN_INLINE_BYTES {
            if let Some(scanned) = scan_children(&tree.body, id, &node, &AtomicBool::new(false)) {
                tree.attach(scanned);
                tree.open_node(id);
            }
            return;
        }
        let body = tree.body.clone();
        let cancel = self.cancel.clone();
        let scan = job::spawn(ctx, "opening a JSON node", move || scan_children(&body, id, &node, &cancel.0));
        self.scans.push((id, scan));
    }

    /// The nodes being opened in the background.
    pub fn scanning(&self) -> Vec<u32> {
        self.scans.iter().map(|(id, _)| *id).collect()
    }

    pub fn is_busy(&self) -> bool {
        self.building.is_some() || !self.scans.is_empty()
    }
}

impl Drop for TreeView {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> JsonTree {
        JsonTree::build(Arc::from(text.as_bytes()), &AtomicBool::new(false)).unwrap().unwrap()
    }

    fn labels(t: &JsonTree) -> Vec<String> {
        (0..t.rows())
            .map(|r| {
                let (id, node) = t.row(r).unwrap();
                let key = match t.key(id) {
                    NodeKey::Root => "$".to_owned(),
                    NodeKey::Name(n) => n,
                    NodeKey::Index(i) => i.to_string(),
                };
                format!("{}{key}:{}", " ".repeat(node.depth as usize), node.count)
            })
            .collect()
    }

    #[test]
    fn the_first_levels_open_and_counts_are_known() {
        let t = tree(r#"{"data": [{"id": 1, "name": "a"}, {"id": 2, "tags": [1]}], "ok": true, "e": {}}"#);
        assert_eq!(
            labels(&t),
            [
                "$:3",
                " data:2",
                "  0:2",
                "   id:0",
                "   name:0",
                "  1:2",
                "   id:0",
                "   tags:1",
                " ok:0",
                " e:0"
            ],
            "three levels open; tags is past the auto-open depth"
        );
    }

    #[test]
    fn folding_and_unfolding_a_node_restores_its_open_children() {
        let mut t = tree(r#"{"a": {"b": {"c": {"d": [1, 2, 3]}}}, "z": 0}"#);
        assert_eq!(labels(&t), ["$:2", " a:1", "  b:1", "   c:1", " z:0"]);
        // Open c (its children are scanned first), then fold a and unfold it again.
        let c = t.id_at(3).unwrap();
        let node = t.toggle_row(3).expect("c's children are not known yet");
        let scanned = scan_children(&t.body.clone(), c, &node, &AtomicBool::new(false)).unwrap();
        t.attach(scanned);
        t.open_node(c);
        assert_eq!(labels(&t), ["$:2", " a:1", "  b:1", "   c:1", "    d:3", " z:0"]);
        assert!(t.toggle_row(1).is_none());
        assert_eq!(labels(&t), ["$:2", " a:1", " z:0"]);
        assert!(t.toggle_row(1).is_none());
        assert_eq!(labels(&t), ["$:2", " a:1", "  b:1", "   c:1", "    d:3", " z:0"]);
        assert_eq!(t.path(t.id_at(4).unwrap()), "$.a.b.c.d");
    }

    #[test]
    fn paths_use_dots_for_plain_names_and_brackets_otherwise() {
        let t = tree(r#"{"data": [{"na\"me": 1, "it's": 2, "ok_1": 3, "é": 4}]}"#);
        let paths: Vec<String> = (0..t.rows()).map(|r| t.path(t.id_at(r).unwrap())).collect();
        assert_eq!(
            paths,
            [
                "$",
                "$.data",
                "$.data[0]",
                "$.data[0]['na\"me']",
                "$.data[0]['it\\'s']",
                "$.data[0].ok_1",
                "$.data[0].é"
            ]
        );
        assert_eq!(t.value_text(t.id_at(3).unwrap()), b"1");
        let item = t.value_text(t.id_at(2).unwrap());
        assert!(item.starts_with(b"{\"na") && item.ends_with(b"4}"), "{}", String::from_utf8_lossy(item));
    }

    #[test]
    fn strings_holding_brackets_and_escaped_quotes_do_not_confuse_the_scan() {
        let t = tree(r#"[ "a]\"}", {"k": "[{"}, [1, [2]], null ]"#);
        assert_eq!(labels(&t), ["$:4", " 0:0", " 1:1", "  k:0", " 2:2", "  0:0", "  1:1", "   0:0", " 3:0"]);
        assert_eq!(t.value_text(t.id_at(1).unwrap()), br#""a]\"}""#);
        assert_eq!(t.node(t.id_at(8).unwrap()).unwrap().kind, JsonKind::Null);
    }

    #[test]
    fn invalid_json_is_refused_with_its_position() {
        let err =
            JsonTree::build(Arc::from(&b"{\"a\": [1, 2,]}"[..]), &AtomicBool::new(false)).err().unwrap();
        assert!(err.contains("not valid JSON") && err.contains("column"), "{err}");
    }

    #[test]
    fn a_scalar_body_is_one_row() {
        let t = tree("  42 ");
        assert_eq!(t.rows(), 1);
        assert_eq!(t.value_text(0), b"42");
    }
}
