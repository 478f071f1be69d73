package org.mirage4j.block.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.block.Block;
import org.mirage4j.block.BlockContract;

/** The block device contract for a disk image file. */
class FileBlockContractTest extends BlockContract {

    @TempDir
    Path dir;

    private int files;

    @Override
    protected Block newDevice() throws IOException {
        Path image = dir.resolve("disk" + files++ + ".img");
        FileBlock block = new FileBlock(image.toString(), "128K", false);
        block.connect();
        return block;
    }

    @Override
    protected Block newReadOnlyDevice() throws IOException {
        Path image = dir.resolve("ro" + files++ + ".img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            for (int i = 0; i < 8 * 512; i++) f.write(i);
        }
        FileBlock block = new FileBlock(image.toString(), "", true);
        block.connect();
        return block;
    }

    @Override
    protected Block reopen(Block device) throws IOException {
        String path = ((FileBlock) device).file();
        device.disconnect();
        FileBlock again = new FileBlock(path, "", false);
        again.connect();
        return again;
    }
}
