import IPEncoding

/// A row a pane lets the user select; kept by identity so a selection survives rows moving.
public enum RowKey: Hashable, Sendable {
    /// A bucket, by prefix.
    case bucket(String)
    /// A contact, by id hex.
    case contact(String)
    /// A request, by tid.
    case request(UInt16)
    /// A finished request, by index from newest.
    case finished(Int)
    /// A walk, by id.
    case query(UInt64)
    /// A walk's result, by walk id and index.
    case result(UInt64, Int)
    /// A punch attempt, by start time.
    case punch(Duration)
    /// A generic row, by index.
    case index(Int)
    /// A row of the store pane, by what it shows (a kept key, a stored key, one of its peers, a lookup).
    case stored(String)
}

/// Everything about the display that is not node data: focus, selections, expansions, prompts,
/// overlays, pause, privacy, theme and the message line.
public struct ViewState: Sendable {
    /// The focused pane.
    public var focus: PaneID = .buckets
    /// The selected row of each pane.
    public var selection: [PaneID: RowKey] = [:]
    /// The first visible row of each pane (scrolling).
    public var scroll: [PaneID: Int] = [:]
    /// Buckets expanded to show contacts, by prefix.
    public var expandedBuckets: Set<String> = []
    /// Walks expanded to show results.
    public var expandedQueries: Set<UInt64> = []
    /// The filter of each pane.
    public var filters: [PaneID: String] = [:]
    /// The open prompt.
    public var prompt: Prompt?
    /// Whether the help overlay is open.
    public var showsHelp = false
    /// Whether the display is frozen.
    public var isPaused = false
    /// Address masking.
    public var masking = AddressMasking()
    /// The current theme's name.
    public var themeName = "dark"
    /// The message line: the last command's result or error.
    public var message: (text: String, isError: Bool)?
    /// The peer selected in a query result, for `p` and `h` pre-fills.
    public var selectedPeer: PeerAddress?
    /// A referrer that knows the selected peer, for the `h` pre-fill.
    public var selectedReferrer: PeerAddress?
    /// Where the data comes from when it is not a live node (replay, detached), for the header.
    public var sourceMarker: SourceMarker?

    /// The initial view.
    public init() {}
}
