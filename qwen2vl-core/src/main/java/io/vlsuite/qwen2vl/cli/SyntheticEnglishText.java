package io.vlsuite.qwen2vl.cli;

import java.util.SplittableRandom;

/**
 * Deterministic English-like text for tokenizer benchmarks: sentences drawn from a fixed word list (Zipf-like
 * weights, so common words repeat as in real prose), with capitals, punctuation, numbers and paragraph breaks.
 */
final class SyntheticEnglishText {

    private static final String[] WORDS = ("the of and to a in is that for it as was with be by on not he this are or his "
            + "from at which but have an they you were her she there been one all we their has would when if so no "
            + "will more can said who what about up out them some could into other than then its time only do new "
            + "people may these two first also any like over such our even most after made many before must through "
            + "back years where much your way well down should because each just those how too little state good very "
            + "make world still own see men work long get here between both life being under never day same another "
            + "know while last might us great old year off come since against go came right used take three himself "
            + "model image picture describe language vision transformer attention tokenizer sequence encoder decoder "
            + "inference latency throughput memory batch request server client response answer question example "
            + "yellow square circle triangle moving quickly slowly carefully although however therefore meanwhile "
            + "understanding implementation configuration performance measurement reproducible deterministic").split(" ");

    private SyntheticEnglishText() {
    }

    static String generate(int approxBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(approxBytes + 200);
        boolean sentenceStart = true;
        int wordsInSentence = 0;
        while (sb.length() < approxBytes) {
            // Squaring a uniform variate favours low indices: a crude Zipf-like frequency profile.
            double u = random.nextDouble();
            String word = WORDS[(int) (u * u * WORDS.length)];
            if (random.nextInt(40) == 0) {
                word = Integer.toString(random.nextInt(10_000));
            }
            if (sentenceStart) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                sentenceStart = false;
            } else {
                sb.append(' ');
            }
            sb.append(word);
            wordsInSentence++;
            if (wordsInSentence > 4 && random.nextInt(12) == 0) {
                sb.append(random.nextInt(4) == 0 ? "?" : ".");
                sentenceStart = true;
                wordsInSentence = 0;
                sb.append(random.nextInt(6) == 0 ? "\n\n" : " ");
            } else if (random.nextInt(15) == 0) {
                sb.append(',');
            }
        }
        return sb.toString();
    }
}
