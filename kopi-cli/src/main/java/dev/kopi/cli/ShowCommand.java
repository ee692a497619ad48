package dev.kopi.cli;

import dev.kopi.hub.CachedFile;
import dev.kopi.hub.CachedRepo;
import dev.kopi.hub.CachedSnapshot;
import dev.kopi.hub.FileSelector;
import dev.kopi.hub.ModelSpec;
import dev.kopi.hub.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kopi show}: where a cached model is, its files, sizes and GGUF quant types. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a cached model: its path, revisions, files, sizes and GGUF quant types.")
public final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "org/name as in 'kopi list'")
    String name;

    @Override
    public Integer call() {
        ModelSpec model = PullCommand.parse(name);
        CachedRepo repo = PullCommand.client().cache().find(model.repo())
                .orElseThrow(() -> new UserError(model.repo() + " is not in the cache; 'kopi pull " + model + "' downloads it", 1));
        PrintWriter out = spec.commandLine().getOut();
        out.println("name:     " + repo.repo());
        out.println("path:     " + repo.dir());
        out.println("size:     " + Sizes.human(repo.sizeOnDisk()) + " on disk");
        for (CachedSnapshot snapshot : repo.snapshots()) {
            out.println();
            out.println("revision: " + snapshot.commit() + (snapshot.refs().isEmpty() ? "" : " (" + String.join(", ", snapshot.refs()) + ")"));
            out.println("folder:   " + snapshot.dir());
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  FILE", "SIZE", "QUANT"});
            for (CachedFile file : snapshot.files()) {
                boolean gguf = file.path().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
                String quant = gguf ? FileSelector.quantOf(file.path()) : null;
                rows.add(new String[] {"  " + file.path(), file.size() < 0 ? "missing blob" : Sizes.human(file.size()),
                        quant == null ? "" : quant});
            }
            ListCommand.printTable(out, rows);
        }
        return 0;
    }
}
