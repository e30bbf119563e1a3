/// What the NATs allow when node A (the requester) punches node B (the peer) through a public
/// referrer R, derived from first principles for each pair of ``NATKind``s – the expectation the
/// 1,000-node simulation checks, cell by cell.
///
/// The setting: B's NAT holds a live session with R (B pinged R just before), A and B have never
/// exchanged a datagram, and A punches B at `B_R`, the address R sees B at. Each NAT'd node is
/// alone behind its own NAT.
///
/// 1. R's forward reaches B whatever B's NAT: it comes from R, whom B's NAT has a session with.
/// 2. B answers the forwarded `_ping` straight to `A_R`, the address R saw A at. It leaves B's NAT
///    from `B_R` if B is public or maps endpoint-independently (one public port for everyone), but
///    from a fresh random port if B is port-randomising.
/// 3. A's NAT lets that answer in at `A_R` if A is public; if A is full-cone (the mapping lives:
///    A just talked to R); if A is restricted-cone and A has sent to B's host; if A is
///    port-restricted and A has sent to exactly the answer's source endpoint. Never if A is
///    port-randomising: `A_R` is A's port toward R alone, and only R's datagrams get in there.
/// 4. Forwarding only (before part B), A sends nothing to B itself, so A has sent to neither B's host nor B's
///    endpoint: only public and full-cone requesters get the answer.
/// 5. With part B (a direct `_ping` to `B_R` just before asking R, and another ~200 ms later) A's
///    NAT has sent to `B_R` (from `A_R` if A maps endpoint-independently, from yet another random
///    port `A_B` if A is port-randomising). So restricted-cone requesters take any answer from B's
///    host, port-restricted ones the answer from `B_R` – everything but a port-randomising B.
///    The direct ping itself gets into B's NAT only if B is public or full-cone (B never sent to A),
///    and B's answer to it comes back from `B_R` to the port it came from: that alone makes a
///    punch to a public or full-cone peer succeed from every requester, a port-randomising one
///    included. And once B has answered the forward, B's NAT has sent to A's host (and, if A is
///    EIM, to `A_R`): the second direct ping, from `A_B`, then gets into a restricted-cone B (any
///    port of A's host) – so a port-randomising requester punches a restricted-cone peer, its answer
///    coming back from `B_R` to `A_B` – but not into a port-restricted B (wrong port).
/// 6. A port-randomising B and a requester that filters on ports (port-restricted or
///    port-randomising) never meet: B's answers come from a port A never sent to, and A's pings
///    go to `B_R`, which admits only R.
///
/// On top of the NATs, our protocol: a `RequestSocket` takes the answer to a punch only from the
/// address named in it (`B_R`; PROTOCOL.md, "where this project must differ"). An answer from a
/// port-randomising B comes from another port, so it is dropped as spoofed even where the NAT let it
/// in – the reference (matching by tid only) would take it. Those cells are ``refusedByProtocol``.
enum NATPunchTable {
    /// Rows: the requester's kind; columns: the peer's kind; both in ``NATKind`` order
    /// (public, full-cone, EIM+ADF, EIM+APDF, random). `true`: the NATs let an answer through.
    static func natAllows(requester: NATKind, peer: NATKind, directPings: Bool) -> Bool {
        (directPings ? withDirectPings : forwardOnly)[requester.rawValue][peer.rawValue]
    }

    /// Forward only (`holepunch` before part B; `HolepunchOptions(opensOwnMapping: false)` now): steps 1–4.
    static let forwardOnly: [[Bool]] = [
        //        public  full   ADF    APDF   random
        /* public */ [true, true, true, true, true],    // 3: anything reaches a public requester
        /* full   */ [true, true, true, true, true],    // 3: its mapping lives, full cone admits all
        /* ADF    */ [false, false, false, false, false],  // 4: never sent to B's host
        /* APDF   */ [false, false, false, false, false],  // 4: never sent to B's endpoint
        /* random */ [false, false, false, false, false],  // 3: A_R admits only R
    ]

    /// After part B (direct pings before and after asking R): steps 1–6.
    static let withDirectPings: [[Bool]] = [
        //        public  full   ADF    APDF   random
        /* public */ [true, true, true, true, true],    // as forward only
        /* full   */ [true, true, true, true, true],    // as forward only
        /* ADF    */ [true, true, true, true, true],    // 5: it sent to B's host; random B's port does not matter
        /* APDF   */ [true, true, true, true, false],   // 5: answer from B_R, which it sent to; 6: random B
        /* random */ [true, true, true, false, false],  // 5: direct pings answered (public, full, ADF's 2nd); 6
    ]

    /// Cells where the NATs let the answer in but our socket drops it as spoofed: the peer is
    /// port-randomising, so its answer comes from a port other than `B_R`.
    static func refusedByProtocol(requester: NATKind, peer: NATKind, directPings: Bool) -> Bool {
        peer == .portRandomising && natAllows(requester: requester, peer: peer, directPings: directPings)
    }
}
