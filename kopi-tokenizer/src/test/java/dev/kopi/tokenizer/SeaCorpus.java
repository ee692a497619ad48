package dev.kopi.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded, generated test corpus of Southeast Asian text and the hard cases around it: Thai, Burmese, Lao,
 * Khmer, Tamil (scripts without spaces between words, with combining vowels and tone marks), Vietnamese in NFC
 * and NFD, Indonesian, Malay, Tagalog, Chinese, English, source code, emoji (ZWJ sequences, skin tones, flags),
 * white-space and digit runs, special tokens glued to text, BOM, NBSP, ideographic space, combining marks and
 * lone surrogates. Real words mixed with random syllables built from each script's character ranges.
 */
final class SeaCorpus {
    private static final String[] THAI = {"สวัสดี", "ครับ", "ค่ะ", "ภาษา", "ไทย", "ประเทศ", "กรุงเทพมหานคร", "ขอบคุณ",
        "โรงเรียน", "นักเรียน", "อาหาร", "อร่อย", "น้ำ", "เมือง", "พระราชวัง", "ความรัก", "วันนี้", "อากาศ", "ร้อน", "มาก",
        "ไม่", "เป็น", "ที่", "และ", "ของ", "ใน", "การ", "ได้", "ให้", "ว่า", "จะ", "มี", "ปัญญาประดิษฐ์", "คอมพิวเตอร์"};
    private static final String[] BURMESE = {"မင်္ဂလာပါ", "ကျေးဇူးတင်ပါတယ်", "မြန်မာ", "နိုင်ငံ", "ရန်ကုန်", "စာအုပ်",
        "ကျောင်း", "ထမင်း", "ရေ", "အိမ်", "ချစ်", "ဘာသာစကား", "နေကောင်းလား", "သည်", "၏", "နှင့်"};
    private static final String[] LAO = {"ສະບາຍດີ", "ຂອບໃຈ", "ປະເທດ", "ລາວ", "ວຽງຈັນ", "ພາສາ", "ໂຮງຮຽນ", "ອາຫານ", "ນ້ຳ",
        "ເຂົ້າ", "ແມ່", "ພໍ່", "ຮັກ", "ແລະ", "ຂອງ", "ບໍ່"};
    private static final String[] KHMER = {"សួស្តី", "អរគុណ", "ប្រទេស", "កម្ពុជា", "ភ្នំពេញ", "ភាសា", "ខ្មែរ", "សាលារៀន",
        "អាហារ", "ទឹក", "ផ្ទះ", "ស្រឡាញ់", "និង", "របស់", "មិន", "បាទ", "ចាស"};
    private static final String[] TAMIL = {"வணக்கம்", "நன்றி", "தமிழ்", "சிங்கப்பூர்", "மொழி", "பள்ளி", "உணவு", "தண்ணீர்",
        "வீடு", "அன்பு", "மற்றும்", "இல்லை", "ஆம்", "கணினி", "செயற்கை", "நுண்ணறிவு"};
    private static final String[] VIETNAMESE = {"Xin", "chào", "cảm", "ơn", "Việt", "Nam", "Hà", "Nội", "thành", "phố",
        "Hồ", "Chí", "Minh", "tiếng", "người", "được", "những", "trường", "học", "nước", "phở", "bánh", "mì", "ngữ",
        "trí", "tuệ", "nhân", "tạo", "Nguyễn", "Trần", "Lê", "đẹp", "quá", "không", "ạ", "ừ", "ở", "Đà", "Nẵng"};
    private static final String[] INDONESIAN = {"selamat", "pagi", "terima", "kasih", "bahasa", "Indonesia", "Jakarta",
        "saya", "anda", "makan", "minum", "rumah", "sekolah", "kecerdasan", "buatan", "pemerintah", "mengembangkan",
        "keberlanjutan", "dan", "yang", "tidak", "sudah", "belum", "bagaimana", "Apa", "kabar"};
    private static final String[] MALAY = {"selamat", "datang", "ke", "Malaysia", "Singapura", "bahasa", "Melayu",
        "kerajaan", "rakyat", "sekolah", "kereta", "makan", "nasi", "lemak", "boleh", "tak", "lah", "kita", "mereka"};
    private static final String[] TAGALOG = {"Magandang", "umaga", "salamat", "po", "Pilipinas", "Maynila", "wika",
        "Tagalog", "kumain", "ka", "na", "ba", "mahal", "kita", "bahay", "paaralan", "ng", "mga", "sa", "ang", "hindi"};
    private static final String[] ENGLISH = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "I'm",
        "don't", "we've", "they're", "she'll", "it's", "He'd", "WE'LL", "YOU'RE", "tokenizer", "language", "model",
        "Singapore", "SEA-LION", "evaluation", "benchmark", "e.g.", "U.S.A.", "co-operate", "well-known", "'quoted'",
        "McDonald", "iPhone", "getHTTPResponse", "CamelCase", "HELLOworld", "ÉCOLE", "ǅemal", "ʰello", "ΑθήναΚαι"};
    private static final String[] CHINESE = {"你好", "谢谢", "新加坡", "中国", "语言", "模型", "人工智能", "东南亚", "我们",
        "今天", "天气", "很好", "学习", "计算机", "，", "。", "！", "？", "「", "」", "《", "》"};
    private static final String[] CODE = {
        "public static void main(String[] args) {\n    System.out.println(\"Hello, world!\");\n}\n",
        "def tokenize(text: str) -> list[int]:\n\treturn [ord(c) for c in text]  # TODO\n",
        "for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }\r\n",
        "    if x == 0x7FFF && y != -1:\n        return {'key': [1, 2, 3]}\n\n\n",
        "SELECT id, name FROM users WHERE age >= 18 ORDER BY name;\n",
        "<div class=\"row\"><span>&nbsp;</span></div>\n",
        "fn main() -> Result<(), Box<dyn Error>> { Ok(()) }\n",
        "x = [1,2,3]; y = {**kwargs}; z = lambda a, b: a+b\n"};
    private static final String[] EMOJI = {"😀", "😂", "🥲", "❤️", "👍", "👍🏽", "👍🏿", "🙏🏻", "👨‍👩‍👧‍👦", "👩‍💻",
        "🧑🏾‍🚀", "🏳️‍🌈", "🇸🇬", "🇹🇭", "🇻🇳", "🇮🇩", "🇲🇾", "🇵🇭", "🇲🇲", "🇰🇭", "🇱🇦", "🍜", "🌶️", "☕", "✨"};
    private static final String[] SPECIAL = {"<|im_start|>", "<|im_end|>", "<think>", "</think>", "<|begin_of_text|>",
        "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "<start_of_turn>", "<end_of_turn>", "<bos>",
        "<|endoftext|>", "<eos>", "<|im_start|>user\n", "<start_of_turn>model\n", "<tool_call>", "<s>",
        "[INST]", "<|assistant_start|>", "\\begin{"};
    private static final String[] ODD = {"\uFEFF", "\u00A0", "\u3000", "\u200B", "\u200D", "\u2028", "\u0085",
        "e\u0301", "a\u0308\u0304", "\u0303", "\u0000", "ſ", "'S", "'ſ", "İ", "ﬁ",
        "\u0E33", "\u0E4D\u0E32", "Å", "ﾊﾝｶｸ", "①②", "½", "Ⅻ", "٣٤٥", "१२३", "A\u0301\u0301b", "\u0301A",
        "ÀB\u0301c", "ǈa", "ᵃB", "aÉ", "\uD807\uDF04", "\uD803\uDD50\uD803\uDD70"};

    private SeaCorpus() {}

    /** Documents totalling at least {@code minBytes} of UTF-8, the same for the same seed. */
    static List<String> generate(long seed, int minBytes) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> documents = new ArrayList<>();
        long bytes = 0;
        while (bytes < minBytes) {
            String doc = document(random);
            documents.add(doc);
            bytes += doc.getBytes(StandardCharsets.UTF_8).length;
        }
        return documents;
    }

    private static String document(SplittableRandom r) {
        StringBuilder out = new StringBuilder();
        if (r.nextInt(40) == 0) { // a lone surrogate changes how the whole text reaches Hugging Face: keep it rare
            out.append(pick(r, new String[] {"\uD800", "\uDFFF", "x\uDC00y", "\uDBFF "}));
        }
        int pieces = 3 + r.nextInt(25);
        for (int i = 0; i < pieces; i++) {
            switch (r.nextInt(20)) {
                case 0, 1 -> noSpaceScript(out, r, THAI, 0x0E01, 0x0E2E, 0x0E30, 0x0E4E, 0x0E50);
                case 2 -> noSpaceScript(out, r, BURMESE, 0x1000, 0x1021, 0x102B, 0x103E, 0x1040);
                case 3 -> noSpaceScript(out, r, LAO, 0x0E81, 0x0EAE, 0x0EB0, 0x0ECD, 0x0ED0);
                case 4 -> noSpaceScript(out, r, KHMER, 0x1780, 0x17A2, 0x17B6, 0x17D3, 0x17E0);
                case 5 -> noSpaceScript(out, r, TAMIL, 0x0B95, 0x0BB9, 0x0BBE, 0x0BCD, 0x0BE6);
                case 6 -> words(out, r, VIETNAMESE, " ", null);
                case 7 -> words(out, r, VIETNAMESE, " ", Normalizer.Form.NFD);
                case 8 -> words(out, r, INDONESIAN, " ", null);
                case 9 -> words(out, r, MALAY, " ", null);
                case 10 -> words(out, r, TAGALOG, " ", null);
                case 11 -> words(out, r, ENGLISH, " ", null);
                case 12 -> chinese(out, r);
                case 13 -> out.append(pick(r, CODE));
                case 14 -> emoji(out, r);
                case 15 -> whitespace(out, r);
                case 16 -> digits(out, r);
                case 17 -> out.append(pick(r, SPECIAL));
                case 18 -> out.append(pick(r, ODD));
                default -> punctuation(out, r);
            }
        }
        return out.toString();
    }

    /** Real words and random syllables of a script, mostly without spaces, sometimes a space or digits. */
    private static void noSpaceScript(StringBuilder out, SplittableRandom r, String[] words, int consonantFrom,
            int consonantTo, int markFrom, int markTo, int digitZero) {
        int n = 2 + r.nextInt(30);
        for (int i = 0; i < n; i++) {
            int roll = r.nextInt(10);
            if (roll < 6) {
                out.append(pick(r, words));
            } else if (roll < 9) {
                out.appendCodePoint(consonantFrom + r.nextInt(consonantTo - consonantFrom + 1));
                for (int m = r.nextInt(3); m > 0; m--) {
                    out.appendCodePoint(markFrom + r.nextInt(markTo - markFrom + 1));
                }
            } else {
                for (int d = 1 + r.nextInt(4); d > 0; d--) {
                    out.appendCodePoint(digitZero + r.nextInt(10));
                }
            }
            if (r.nextInt(8) == 0) {
                out.append(r.nextInt(4) == 0 ? "\n" : " ");
            }
        }
    }

    private static void words(StringBuilder out, SplittableRandom r, String[] words, String sep,
            Normalizer.Form form) {
        StringBuilder sentence = new StringBuilder();
        int n = 3 + r.nextInt(20);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sentence.append(sep);
            }
            String w = pick(r, words);
            sentence.append(r.nextInt(12) == 0 ? w.toUpperCase(java.util.Locale.ROOT) : w);
            if (r.nextInt(10) == 0) {
                sentence.append(pick(r, new String[] {",", ".", "!", "?", ":", ";", "...", " -", "\""}));
            }
        }
        sentence.append(r.nextInt(3) == 0 ? ".\n" : ". ");
        out.append(form == null ? sentence : Normalizer.normalize(sentence, form));
    }

    private static void chinese(StringBuilder out, SplittableRandom r) {
        int n = 5 + r.nextInt(40);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(3) == 0) {
                out.append(pick(r, CHINESE));
            } else {
                out.appendCodePoint(0x4E00 + r.nextInt(0x9FFF - 0x4E00));
            }
        }
    }

    private static void emoji(StringBuilder out, SplittableRandom r) {
        for (int n = 1 + r.nextInt(6); n > 0; n--) {
            out.append(pick(r, EMOJI));
            if (r.nextBoolean()) {
                out.append(' ');
            }
        }
    }

    private static void whitespace(StringBuilder out, SplittableRandom r) {
        String[] units = {" ", "  ", "\t", "\n", "\r\n", "\n\n", "    ", "\u00A0", "\u3000", " \n ", "\t\t\n"};
        for (int n = 1 + r.nextInt(8); n > 0; n--) {
            out.append(pick(r, units));
        }
    }

    private static void digits(StringBuilder out, SplittableRandom r) {
        int n = 1 + r.nextInt(14);
        for (int i = 0; i < n; i++) {
            out.append((char) ('0' + r.nextInt(10)));
        }
        out.append(pick(r, new String[] {"", " ", ".", ",000", "%", "km", " USD", "th"}));
    }

    private static void punctuation(StringBuilder out, SplittableRandom r) {
        String[] marks = {"...", "!!", "?!", "—", "–", "“", "”", "«", "»", "(", ")", "[", "]", "{", "}", "#", "@",
            "$", "€", "฿", "₫", "'", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "''", "\\", "/", "|", "~"};
        for (int n = 1 + r.nextInt(5); n > 0; n--) {
            out.append(pick(r, marks));
        }
    }

    private static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
