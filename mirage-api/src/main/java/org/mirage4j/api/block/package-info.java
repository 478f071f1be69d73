/**
 * Block devices: a disk as an array of fixed-size sectors. Buffers passed to a block device are
 * borrowed: the caller keeps ownership.
 */
package org.mirage4j.api.block;
