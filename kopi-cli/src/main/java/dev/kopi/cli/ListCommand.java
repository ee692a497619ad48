package dev.kopi.cli;

import dev.kopi.hub.CachedRepo;
import dev.kopi.hub.CachedSnapshot;
import dev.kopi.hub.HubCache;
import dev.kopi.hub.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code kopi list}: the models and data sets in the hub cache. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "List the models and data sets in the Hugging Face hub cache (also those Python tools downloaded).")
public final class ListCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HubCache cache = PullCommand.client().cache();
        List<CachedRepo> repos = cache.list();
        PrintWriter out = spec.commandLine().getOut();
        if (repos.isEmpty()) {
            out.println("no models in " + cache.root() + "; download one with 'kopi pull org/name:QUANT'");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "REVISION", "SIZE", "FILES", "MODIFIED (UTC)"});
        for (CachedRepo repo : repos) {
            CachedSnapshot current = repo.current().orElse(null);
            String revision = current == null ? "-"
                    : (current.refs().isEmpty() ? "" : String.join(",", current.refs()) + "@") + current.commit().substring(0, 7);
            rows.add(new String[] {repo.repo().toString(), revision, Sizes.human(repo.sizeOnDisk()),
                    Integer.toString(current == null ? 0 : current.files().size()), TIME.format(repo.lastModified())});
        }
        printTable(out, rows);
        return 0;
    }

    static void printTable(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
