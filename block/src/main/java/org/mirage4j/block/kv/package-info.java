/**
 * A crash-safe read-write key-value store on a block device ({@link org.mirage4j.block.kv.LogKvRw}, bound by
 * {@link org.mirage4j.block.kv.LogKvRwModule}).
 *
 * <h2>Design</h2>
 * A log-structured store with a semi-space (two-half) log and a double-written superblock, in the family of
 * Bitcask and of the log-structured file systems (Rosenblum and Ousterhout's LFS): every change is appended to
 * the log, never written in place, and a superblock says which prefix of the log is committed.
 * <ul>
 *   <li><b>Layout.</b> Sectors 0 and 1 hold two copies (A and B) of the {@link org.mirage4j.block.kv.Superblock};
 *       the rest is two equal halves, one of which holds the log ({@link org.mirage4j.block.kv.Geometry}).
 *   <li><b>Records.</b> A change is one {@link org.mirage4j.block.kv.RecordHeader record} ({@code PUT} key and
 *       value, {@code DELETE} key, {@code RENAME} source and destination), written from a sector boundary on, with
 *       a CRC-32C trailer that chains over the previous record's, and the generation of the half it belongs to.
 *   <li><b>Commit.</b> Write the record, then superblock A pointing past it, flush; then superblock B the same,
 *       flush. A commit is one sector-aligned append plus two one-sector writes and two flushes; changes are made
 *       one at a time.
 *   <li><b>Recovery</b> at connect ({@link org.mirage4j.block.kv.Recovery}): take the superblock copies, newest
 *       first, and replay the log each commits, checking every record; the first whose log checks out is the
 *       store, and the other copy is rewritten to match. It reads at most the two superblocks and one half of
 *       the device: bounded by the device's size, whatever its history.
 *   <li><b>Compaction.</b> When a record does not fit in the rest of the half, the live values are copied (each
 *       checked as it is read) into the other half, with the new change after them, and committed with one
 *       superblock that switches halves. Until that commit is durable the old half is the store, untouched.
 *   <li><b>Memory.</b> An index of every key in memory: about 200 bytes plus the key per value; at most one value
 *       per 34 bytes of half, so at most about six times the half's size in the worst case of empty values with
 *       one-letter keys, and far less for real data. Values are read from the device on each {@code get}.
 * </ul>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>An acknowledged change is durable.</b> When {@code set}, {@code remove} or {@code rename} returns, its
 *       record and both superblock copies have been written and flushed ({@link org.mirage4j.api.block.Block#flush}):
 *       it survives a crash or power loss at any later moment, and a later connect sees it.
 *   <li><b>A change cut short is all or nothing.</b> After a crash or power loss during a change (before it
 *       returns), the store reconnects to the state before it or the state after it, never a mix; no other
 *       change is lost or undone.
 *   <li><b>Nothing wrong is returned as valid.</b> Every record read, at connect or by {@code get},
 *       {@code getPartial}, {@code digest} and compaction, is checked against its CRC-32C chain first. Damage to
 *       a committed record makes {@code connect} fail with one {@link org.mirage4j.api.DeviceException} (its cause
 *       a {@link org.mirage4j.api.kv.KvException} of reason {@code CORRUPT}), or a read after connect fail with
 *       {@code CORRUPT}. Damage to one superblock copy, to stale records, or to free space is harmless. (CRC-32C
 *       catches every error burst up to 32 bits; longer random damage passes it with odds of 1 in 2<sup>32</sup>.)
 *   <li><b>Full.</b> A change that does not fit even after compaction fails with {@code NO_SPACE}, one sentence,
 *       and changes nothing. A set needs room for its value next to the other live values; a {@code remove}
 *       never fails for want of space.
 *   <li><b>Keys.</b> At most {@value org.mirage4j.block.kv.RecordHeader#MAX_KEY_BYTES} bytes of UTF-8. Dictionaries
 *       are implicit: one exists while a value lies under it. Setting a value under a value fails with
 *       {@code DICTIONARY_EXPECTED}; setting a dictionary's key fails with {@code VALUE_EXPECTED}.
 *   <li><b>Devices.</b> {@code connect} makes an empty store on a device whose superblock sectors and the first
 *       sector of each half are zero, and refuses, in one sentence, any other device that holds no store.
 *       A write that fails half-way (an I/O error) stops the store: every later call fails until it is
 *       reconnected, which recovers the last commit.
 * </ul>
 */
package org.mirage4j.block.kv;
