package dev.kopi.eval.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Access to the files of a Hugging Face dataset repository. kopi-eval needs only this much of a hub client:
 * listing a dataset's files and bringing one onto local disk (gated {@code aisingapore/*} datasets need a token).
 */
public interface DatasetFiles {
    /** Every file path in the dataset repository (recursive), e.g. {@code id/eval-00000-of-00001.parquet}. */
    List<String> list(String dataset) throws IOException;

    /** A local copy of one file of the dataset. */
    Path fetch(String dataset, String path) throws IOException;
}
