// SHA-256 of plan texts and input files, as lowercase hex, for the ledger's record of what ran.
import Crypto

public enum InputHash {
    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
