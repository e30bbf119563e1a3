function __hyperdht_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __hyperdht_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __hyperdht_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __hyperdht_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __hyperdht_parse_tokens -S
    set -l unparsed_tokens (__hyperdht_tokens -pc)
    switch $unparsed_tokens[1]
    case 'hyperdht'
        __hyperdht_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'node'
            __hyperdht_parse_subcommand 0 'port=' 'quiet' 'bootstrap=+' 'host=' 'rate-limit=' 'json' 'control=' 'record=' 'record-limit=' 'redact' 'metrics=' 'version' 'h/help'
        case 'bootstrap'
            __hyperdht_parse_subcommand 0 'port=' 'quiet' 'host=' 'rate-limit=' 'json' 'control=' 'record=' 'record-limit=' 'redact' 'metrics=' 'version' 'h/help'
        case 'announce'
            __hyperdht_parse_subcommand 1 'topic' 'port=' 'local-address=' 'no-local-address' 'keep' 'keepalive=' 'verbose' 'bootstrap=+' 'host=' 'json' 'control=' 'metrics=' 'version' 'h/help'
        case 'lookup'
            __hyperdht_parse_subcommand 1 'topic' 'local-address=' 'no-local-address' 'bootstrap=+' 'host=' 'json' 'version' 'h/help'
        case 'unannounce'
            __hyperdht_parse_subcommand 1 'topic' 'port=' 'bootstrap=+' 'host=' 'json' 'version' 'h/help'
        case 'ping'
            __hyperdht_parse_subcommand 1 'port=' 'host=' 'json' 'version' 'h/help'
        case 'holepunch'
            __hyperdht_parse_subcommand 1 'via=' 'also-via=+' 'key=' 'forward-only' 'bootstrap=+' 'host=' 'json' 'version' 'h/help'
        case 'netcheck'
            __hyperdht_parse_subcommand 0 'bootstrap=+' 'host=' 'port=' 'json' 'version' 'h/help'
        case 'testnet'
            __hyperdht_parse_subcommand 1 'port=' 'json' 'version' 'h/help'
        case 'monitor'
            __hyperdht_parse_subcommand 0 'bootstrap=+' 'host=' 'rate-limit=' 'port=' 'ephemeral' 'theme=' 'swarm-size=' 'no-local-address' 'control=' 'record=' 'record-limit=' 'redact' 'metrics=' 'attach=' 'version' 'h/help'
        case 'replay'
            __hyperdht_parse_subcommand 1 'speed=' 'theme=' 'version' 'h/help'
        case 'help'
            __hyperdht_parse_subcommand -r 1 'version'
        end
    end
end

function __hyperdht_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __hyperdht_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __hyperdht_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __hyperdht_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__hyperdht_tokens -p)
    if test -z "$(__hyperdht_tokens -t)"
        set -l index (count (__hyperdht_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'hyperdht' -f
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'node' -d 'Run a long-lived hyperdht node that stores announcements for the network.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'bootstrap' -d 'Run a bootstrap node for a private network (a node that joins nothing; others join through it).'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'announce' -d 'Announce this host under a key, print the peers found, and exit (or keep announcing).'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'lookup' -d 'Find the peers announced under a key.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'unannounce' -d 'Withdraw an announcement from the nodes closest to a key.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'ping' -d 'Ping a node: print the round-trip time and the address it sees us at.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'holepunch' -d 'Punch a hole to a peer through a referrer: the referrer forwards our ping and the peer answers us directly.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'netcheck' -d 'Diagnose the NAT in front of this host over the DHT wire: mapping, filtering, hairpinning, verdict.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'testnet' -d 'Start N nodes on 127.0.0.1 in this process and print the bootstrap address, for trying things out.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'monitor' -d 'Watch a node live in the terminal: routing table, requests, queries, hole punches, NAT.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'replay' -d 'Play a recording made with --record in the monitor (read-only).'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_positional "hyperdht" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" port' -l 'port' -d 'UDP port to listen on (default: any free port).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" quiet' -l 'quiet' -d 'Do not log the announces, unannounces and lookups served.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node"' -l 'bootstrap' -d 'A node to join through, as host:port (repeatable). A host without a port gets 49737.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" rate-limit' -l 'rate-limit' -d 'Datagrams per second the node accepts from one source host (bursts of twice as many); more are dropped and counted. 0 turns the limit off (load tests from one address).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" control' -l 'control' -d 'Serve this node\'s events and the monitor\'s commands on a Unix socket at PATH (mode 0600; its directory must be writable only by you, e.g. $XDG_RUNTIME_DIR). Watch it with: hyperdht monitor --attach PATH.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" record' -l 'record' -d 'Record every event (and the status once a second) to FILE, for hyperdht replay FILE. At --record-limit the file is moved to FILE.1 and a new one starts.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" record-limit' -l 'record-limit' -d 'Size in MiB at which a recording rotates (1-4096).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" redact' -l 'redact' -d 'With --record: replace every IP address in the recording with a stand-in (the same one for the same address), so it can be shared.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" metrics' -l 'metrics' -d 'Serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464; port 0: any free port). Off by default; only GET /metrics is answered.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht node" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" port' -l 'port' -d 'UDP port to listen on.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" quiet' -l 'quiet' -d 'Do not log what the node serves.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" rate-limit' -l 'rate-limit' -d 'Datagrams per second the node accepts from one source host (bursts of twice as many); more are dropped and counted. 0 turns the limit off (load tests from one address).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" control' -l 'control' -d 'Serve this node\'s events and the monitor\'s commands on a Unix socket at PATH (mode 0600; its directory must be writable only by you, e.g. $XDG_RUNTIME_DIR). Watch it with: hyperdht monitor --attach PATH.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" record' -l 'record' -d 'Record every event (and the status once a second) to FILE, for hyperdht replay FILE. At --record-limit the file is moved to FILE.1 and a new one starts.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" record-limit' -l 'record-limit' -d 'Size in MiB at which a recording rotates (1-4096).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" redact' -l 'redact' -d 'With --record: replace every IP address in the recording with a stand-in (the same one for the same address), so it can be shared.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" metrics' -l 'metrics' -d 'Serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464; port 0: any free port). Off by default; only GET /metrics is answered.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht bootstrap" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" topic' -l 'topic' -d 'Take KEY as a topic name even when it is all hex digits.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" port' -l 'port' -d 'The port to announce: where this host serves the key. Needed without --keep (a one-shot announce would otherwise store this short-lived process\'s own UDP port, dead once it exits); with --keep the default is the UDP port other nodes see.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" local-address' -l 'local-address' -d 'The LAN address to share with peers in the same /16 (default: found from the route to the bootstrap node when bound to 0.0.0.0).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" no-local-address' -l 'no-local-address' -d 'Share no LAN address: the nodes storing the key then cannot tell it, and hosts behind the same NAT find us only by our public address.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" keep' -l 'keep' -d 'Re-announce every 4 minutes until interrupted. On Ctrl-C (SIGINT) or SIGTERM the announcement is withdrawn from the nodes storing it (within 3 s), then the command exits with status 130 or 143.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" keepalive' -l 'keepalive' -d 'With --keep: ping the nodes storing the announcement every SECONDS, so a NAT in front of us keeps the mappings their forwarded hole punches come in through (0: never; default 25, skipped while the answers show no NAT).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" verbose' -l 'verbose' -d 'With --keep: print every keep-alive round.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce"' -l 'bootstrap' -d 'A node to join through, as host:port (repeatable). A host without a port gets 49737.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" control' -l 'control' -d 'Serve this node\'s events and the monitor\'s commands on a Unix socket at PATH (mode 0600; its directory must be writable only by you, e.g. $XDG_RUNTIME_DIR). Watch it with: hyperdht monitor --attach PATH.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" metrics' -l 'metrics' -d 'Serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464; port 0: any free port). Off by default; only GET /metrics is answered.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht announce" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup" topic' -l 'topic' -d 'Take KEY as a topic name even when it is all hex digits.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup" local-address' -l 'local-address' -d 'The LAN address to share with peers in the same /16 (default: found from the route to the bootstrap node when bound to 0.0.0.0).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup" no-local-address' -l 'no-local-address' -d 'Share no LAN address: the nodes storing the key then cannot tell it, and hosts behind the same NAT find us only by our public address.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup"' -l 'bootstrap' -d 'A node to join through, as host:port (repeatable). A host without a port gets 49737.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht lookup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht unannounce" topic' -l 'topic' -d 'Take KEY as a topic name even when it is all hex digits.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht unannounce" port' -l 'port' -d 'The port that was announced (default: the UDP port other nodes see).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht unannounce"' -l 'bootstrap' -d 'A node to join through, as host:port (repeatable). A host without a port gets 49737.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht unannounce" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht unannounce" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht unannounce" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht unannounce" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht ping" port' -l 'port' -d 'The local UDP port to ping from (default: any free port); pings from one port to two nodes show whether a NAT keeps the mapping.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht ping" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht ping" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht ping" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht ping" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch" via' -l 'via' -d 'The node that knows the peer and forwards the ping.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch"' -l 'also-via' -d 'Another node that returned the peer (repeatable): if the punch fails, punching through it tells an expired NAT mapping from a gone peer.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch" key' -l 'key' -d 'The key the peer was found under: a lookup first tells which other nodes store it and at which ports they see it (a port-randomising NAT shows as one host at many ports).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch" forward-only' -l 'forward-only' -d 'Punch as the nodejs reference does: only the forwarded ping, no direct pings that open our own NAT (fails across two filtering NATs; for comparison).'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch"' -l 'bootstrap' -d 'A node to join through, as host:port (repeatable). A host without a port gets 49737.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht holepunch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht netcheck"' -l 'bootstrap' -d 'A node to join through, as host:port (repeatable). A host without a port gets 49737.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht netcheck" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht netcheck" port' -l 'port' -d 'The UDP port to listen on (default: any free port).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht netcheck" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht netcheck" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht netcheck" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht testnet" port' -l 'port' -d 'UDP port of the first node, the bootstrap node (default: any free port).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht testnet" json' -l 'json' -d 'Print one JSON object per line instead of text.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht testnet" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht testnet" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor"' -l 'bootstrap' -d 'A node to join through, as host:port (repeatable). A host without a port gets 49737.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" host' -l 'host' -d 'The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" rate-limit' -l 'rate-limit' -d 'Datagrams per second the node accepts from one source host (bursts of twice as many); more are dropped and counted. 0 turns the limit off (load tests from one address).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" port' -l 'port' -d 'UDP port for the monitored node (default: any free port).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" ephemeral' -l 'ephemeral' -d 'Run the monitored node ephemeral (it sends no id; others do not add it).'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" theme' -l 'theme' -d 'Theme name or path to a theme file.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" swarm-size' -l 'swarm-size' -d 'Nodes in the embedded swarm (default 32; only without --bootstrap).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" no-local-address' -l 'no-local-address' -d 'Do not share our LAN address in announces and lookups (by default it is found from the route to the bootstrap node when bound to 0.0.0.0, so hosts behind the same NAT find each other).'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" control' -l 'control' -d 'Serve this node\'s events and the monitor\'s commands on a Unix socket at PATH (mode 0600; its directory must be writable only by you, e.g. $XDG_RUNTIME_DIR). Watch it with: hyperdht monitor --attach PATH.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" record' -l 'record' -d 'Record every event (and the status once a second) to FILE, for hyperdht replay FILE. At --record-limit the file is moved to FILE.1 and a new one starts.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" record-limit' -l 'record-limit' -d 'Size in MiB at which a recording rotates (1-4096).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" redact' -l 'redact' -d 'With --record: replace every IP address in the recording with a stand-in (the same one for the same address), so it can be shared.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" metrics' -l 'metrics' -d 'Serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464; port 0: any free port). Off by default; only GET /metrics is answered.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" attach' -l 'attach' -d 'Watch the running node serving the control socket at PATH (its --control) instead of starting one.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht monitor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht replay" speed' -l 'speed' -d 'Play this many times faster than recorded (0.1-100).' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht replay" theme' -l 'theme' -d 'Theme name or path to a theme file.' -rfka ''
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht replay" version' -l 'version' -d 'Show the version.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht replay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'hyperdht' -n '__hyperdht_should_offer_completions_for_flags_or_options "hyperdht help" version' -l 'version' -d 'Show the version.'
