import CNcursesw
import Monitor

/// Turns what `wget_wch` returned into a ``KeyInput``.
enum KeyDecoding {
    /// `status` is `wget_wch`'s result (`OK`, `KEY_CODE_YES` or `ERR`), `code` the character or key.
    static func decode(status: Int32, code: UInt32) -> KeyInput? {
        if status == ERR { return nil }
        if status == cn_key_code_yes() { return functionKey(Int32(bitPattern: code)) }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 3: return .interrupt
        default:
            guard code >= 32, let scalar = Unicode.Scalar(code) else { return .other(Int(code)) }
            return .character(Character(scalar))
        }
    }

    private static func functionKey(_ key: Int32) -> KeyInput {
        switch key {
        case cn_key_up(): .up
        case cn_key_down(): .down
        case cn_key_left(): .left
        case cn_key_right(): .right
        case cn_key_enter(): .enter
        case cn_key_backspace(): .backspace
        case cn_key_dc(): .delete
        case cn_key_btab(): .backTab
        case cn_key_home(): .home
        case cn_key_end(): .end
        case cn_key_ppage(): .pageUp
        case cn_key_npage(): .pageDown
        case cn_key_resize(): .resize
        default: .other(Int(key))
        }
    }
}
