package dev.kopi.tokenizer;

import java.util.List;

/** The post-processor stage: adds the special tokens a model expects around an encoded sequence. */
interface PostProcessor {

    /** The final ids of an encoded sequence; special tokens only when {@code addSpecial}. */
    int[] process(int[] ids, boolean addSpecial);

    /** Adds nothing (also Hugging Face's ByteLevel post-processor, which only adjusts offsets). */
    PostProcessor NONE = (ids, addSpecial) -> ids;

    /** Hugging Face's TemplateProcessing for a single sequence: fixed ids before and after it. */
    record Template(int[] prefix, int[] suffix) implements PostProcessor {
        @Override
        public int[] process(int[] ids, boolean addSpecial) {
            if (!addSpecial || prefix.length + suffix.length == 0) {
                return ids;
            }
            int[] out = new int[prefix.length + ids.length + suffix.length];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(ids, 0, out, prefix.length, ids.length);
            System.arraycopy(suffix, 0, out, prefix.length + ids.length, suffix.length);
            return out;
        }
    }

    record Sequence(List<PostProcessor> stages) implements PostProcessor {
        @Override
        public int[] process(int[] ids, boolean addSpecial) {
            for (PostProcessor stage : stages) {
                ids = stage.process(ids, addSpecial);
            }
            return ids;
        }
    }
}
