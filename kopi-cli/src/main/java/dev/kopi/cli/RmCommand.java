package dev.kopi.cli;

import dev.kopi.hub.CachedFile;
import dev.kopi.hub.CachedRepo;
import dev.kopi.hub.CachedSnapshot;
import dev.kopi.hub.FileSelector;
import dev.kopi.hub.HubCache;
import dev.kopi.hub.HubException;
import dev.kopi.hub.ModelSpec;
import dev.kopi.hub.Prompt;
import dev.kopi.hub.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code kopi rm}: removes a model (or one quant of it) from the hub cache. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Remove a model from the hub cache: all of it, or with NAME:QUANT only those files.",
                "The cache is shared with Python tools: they lose the model too."})
public final class RmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME[:QUANT|:FILE]")
    String name;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        ModelSpec model = PullCommand.parse(name);
        HubCache cache = PullCommand.client().cache();
        CachedRepo repo = cache.find(model.repo())
                .orElseThrow(() -> new UserError(model.repo() + " is not in the cache (" + cache.root() + ")", 1));
        if (model.selector() == null) {
            confirm("Remove " + model.repo() + " (" + Sizes.human(repo.sizeOnDisk()) + ") from " + cache.root() + "?");
            long freed = cache.delete(model.repo());
            spec.commandLine().getOut().println("removed " + model.repo() + ", freed " + Sizes.human(freed));
            return 0;
        }
        CachedSnapshot snapshot = repo.current()
                .orElseThrow(() -> new UserError(model.repo() + " has no snapshot in the cache", 1));
        List<String> chosen;
        try {
            chosen = FileSelector.select(model.repo(), snapshot.files().stream().map(CachedFile::path).toList(),
                    model.selector()).paths();
        } catch (HubException e) {
            throw new UserError(e.getMessage(), 1);
        }
        List<CachedFile> files = snapshot.files().stream().filter(f -> chosen.contains(f.path())).toList();
        confirm("Remove " + String.join(", ", chosen) + " of " + model.repo() + "?");
        long freed = cache.delete(model.repo(), snapshot, files);
        spec.commandLine().getOut().println("removed " + String.join(", ", chosen) + " of " + model.repo() + ", freed "
                + Sizes.human(freed));
        return 0;
    }

    private void confirm(String question) {
        if (yes) {
            return;
        }
        Prompt prompt = Prompt.of(System.console());
        if (!prompt.interactive()) {
            throw new UserError("not removing without confirmation: pass --yes");
        }
        if (!prompt.confirm(question)) {
            throw new UserError("nothing removed", 1);
        }
    }
}
