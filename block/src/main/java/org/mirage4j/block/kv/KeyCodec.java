package org.mirage4j.block.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.mirage4j.api.kv.KvKey;

/** Keys as the log stores them: the UTF-8 bytes of {@code /a/b}. */
final class KeyCodec {

    private KeyCodec() {}

    static byte[] encode(KvKey key) {
        return key.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes {@link #encode} makes of {@code key}. */
    static int encodedLength(KvKey key) {
        return encode(key).length;
    }

    /**
     * The key whose bytes these are.
     *
     * @throws LogCorruptException when they are not the bytes of a key
     */
    static KvKey decode(byte[] bytes, long position) throws LogCorruptException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new LogCorruptException("the record at log byte " + position + " has a key that is not UTF-8");
        }
        try {
            KvKey key = KvKey.parse(text);
            if (key.toString().equals(text)) return key;
        } catch (IllegalArgumentException e) {
            // not a key: reported below
        }
        throw new LogCorruptException("the record at log byte " + position + " has a malformed key");
    }
}
