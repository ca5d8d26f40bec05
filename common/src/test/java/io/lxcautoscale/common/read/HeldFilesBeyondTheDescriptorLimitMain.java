package io.lxcautoscale.common.read;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link HeldFileDescriptorLimitTest}, run under a small {@code ulimit -n}: holds one
 * {@link HeldFile} per file in the directory given and reads them all in three rounds, rewriting every file
 * between rounds; prints per round how many were read with the right content, and how many are held open at the end.
 * With {@code occupy N}, first takes all descriptors but {@code N} with plain open files, so that opens fail
 * with EMFILE although the budget (from the limit) allows them.
 */
public final class HeldFilesBeyondTheDescriptorLimitMain {
    private HeldFilesBeyondTheDescriptorLimitMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        List<FileInputStream> occupied = new ArrayList<>();
        if (args.length > 3 && args[2].equals("occupy")) {
            int leave = Integer.parseInt(args[3]);
            try {
                while (true) {
                    occupied.add(new FileInputStream(dir.resolve("f0").toFile()));
                }
            } catch (IOException e) {
                for (int i = 0; i < leave; i++) {
                    occupied.remove(occupied.size() - 1).close();
                }
            }
        }
        OpenFileBudget budget = new OpenFileBudget();
        SmallFileReader reader = new SmallFileReader();
        List<HeldFile> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(new HeldFile(new File(dir.resolve("f" + i).toString()), budget));
        }
        StringBuilder rounds = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            int correct = 0;
            for (int i = 0; i < count; i++) {
                try {
                    int n = held.get(i).read(reader);
                    if (new String(reader.buffer(), 0, n, StandardCharsets.US_ASCII).equals(round + ":" + i + "\n")) {
                        correct++;
                    }
                } catch (IOException e) {
                    // counted as not correct
                }
            }
            rounds.append(" round").append(round).append('=').append(correct);
            for (int i = 0; i < count; i++) {
                Files.writeString(dir.resolve("f" + i), (round + 1) + ":" + i + "\n");
            }
        }
        long open = held.stream().filter(HeldFile::isOpen).count();
        System.out.println("correct" + rounds + "; held open " + open + "; budget counts " + budget.held());
    }
}
