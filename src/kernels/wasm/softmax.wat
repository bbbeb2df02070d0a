;; Softmax along rows in WebAssembly SIMD: y = exp((x − max x)/τ)·(1/Σ), two values at a time; also
;; log-softmax rows, the softmax vjp, the Gumbel perturbation, and the elementwise exp and sigmoid.
;; `npm run build:wasm` compiles it into softmax.generated.ts; src/kernels/softmaxWasm.ts calls it,
;; and softmaxRows in src/kernels/softmax.ts is the readable JavaScript it must match bit for bit.
;;
;; - The exponential: fdlibm's exp (e_exp.c, which V8's Math.exp is) on two doubles at once. Its
;;   branches become selects: every lane computes the general case and keeps the value of its own
;;   branch, so each lane gets exactly the value Math.exp gives.
;; - The same order of operations as the JavaScript: the maximum ignores NaN (a NaN still makes the
;;   row NaN through the exponentials), and the sum adds the row's values one after another, so
;;   rounding is the same. float32 rows are widened to float64, computed, and narrowed on store,
;;   as JavaScript does when it reads and writes a Float32Array.
(module
  ;; Math.log itself, called once per row of a log-softmax
  (import "math" "log" (func $log (param f64) (result f64)))
  (memory (export "memory") 1)
  (global $ln2Hi f64 (f64.const 6.93147180369123816490e-01))
  (global $ln2Lo f64 (f64.const 1.90821492927058770002e-10))
  (global $invLn2 f64 (f64.const 1.44269504088896338700e+00))
  (global $p1 f64 (f64.const 1.66666666666666019037e-01))
  (global $p2 f64 (f64.const -2.77777777770155933842e-03))
  (global $p3 f64 (f64.const 6.61375632143793436117e-05))
  (global $p4 f64 (f64.const -1.65339022054652515390e-06))
  (global $p5 f64 (f64.const 4.13813679705723846039e-08))
  (global $overflow f64 (f64.const 7.09782712893383973096e+02))
  (global $underflow f64 (f64.const -7.45133219101941108420e+02))
  (global $twoPowMinus1000 f64 (f64.const 9.33263618503218878990e-302))
  ;; log1p's polynomial (s_log1p.c)
  (global $lp1 f64 (f64.const 6.666666666666735130e-01))
  (global $lp2 f64 (f64.const 3.999999999940941908e-01))
  (global $lp3 f64 (f64.const 2.857142874366239149e-01))
  (global $lp4 f64 (f64.const 2.222219843214978396e-01))
  (global $lp5 f64 (f64.const 1.818357216161805012e-01))
  (global $lp6 f64 (f64.const 1.531383769920937332e-01))
  (global $lp7 f64 (f64.const 1.479819860511658591e-01))

  ;; exp x for two doubles (fdlibm's e_exp.c).
  (func $exp (param $x v128) (result v128)
    (local $hx v128) (local $sign v128) (local $k v128) (local $t v128) (local $hi v128) (local $lo v128)
    (local $r v128) (local $rr v128) (local $c v128) (local $y v128) (local $scaled v128) (local $tiny v128)
    ;; hx = |x|'s high word; sign = all ones in a negative lane
    (local.set $hx (v128.and (i64x2.shr_u (local.get $x) (i32.const 32)) (i64x2.splat (i64.const 0x7fffffff))))
    (local.set $sign (i64x2.shr_s (local.get $x) (i32.const 63)))
    ;; x = k·ln2 + r with |r| ≤ ln2/2: k = 0 for |x| ≤ ln2/2, ±1 up to 1.5·ln2, else
    ;; (int)(x/ln2 ± ½), truncated towards zero
    (local.set $k (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero
      (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (global.get $invLn2)))
        (v128.bitselect (local.get $x) (f64x2.splat (f64.const 0.5)) (i64x2.splat (i64.const 0x8000000000000000)))))))
    (local.set $k (v128.bitselect (v128.or (i64x2.splat (i64.const 1)) (local.get $sign)) (local.get $k)
      (i64x2.lt_s (local.get $hx) (i64x2.splat (i64.const 0x3ff0a2b2)))))
    (local.set $k (v128.and (local.get $k) (i64x2.gt_s (local.get $hx) (i64x2.splat (i64.const 0x3fd62e42)))))
    (local.set $t (f64x2.convert_low_i32x4_s (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $k) (local.get $k))))
    ;; hi − lo = r, with ln2 split in two so that k·ln2_hi is exact
    (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $t) (f64x2.splat (global.get $ln2Hi)))))
    (local.set $lo (f64x2.mul (local.get $t) (f64x2.splat (global.get $ln2Lo))))
    (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
    ;; c = r − r²·P(r²);  eʳ = 1 − ((lo − r·c/(2 − c)) − hi)
    (local.set $rr (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $rr)
      (f64x2.add (f64x2.splat (global.get $p1)) (f64x2.mul (local.get $rr)
        (f64x2.add (f64x2.splat (global.get $p2)) (f64x2.mul (local.get $rr)
          (f64x2.add (f64x2.splat (global.get $p3)) (f64x2.mul (local.get $rr)
            (f64x2.add (f64x2.splat (global.get $p4)) (f64x2.mul (local.get $rr) (f64x2.splat (global.get $p5)))))))))))))
    (local.set $y (f64x2.sub (f64x2.splat (f64.const 1))
      (f64x2.sub (f64x2.sub (local.get $lo)
        (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c))))
        (local.get $hi))))
    ;; eˣ = eʳ·2ᵏ: k added to the exponent bits; below k = −1021, add k + 1000 and multiply by 2⁻¹⁰⁰⁰
    (local.set $scaled (v128.bitselect
      (f64x2.mul (i64x2.add (local.get $y) (i64x2.shl (i64x2.add (local.get $k) (i64x2.splat (i64.const 1000))) (i32.const 52)))
        (f64x2.splat (global.get $twoPowMinus1000)))
      (i64x2.add (local.get $y) (i64x2.shl (local.get $k) (i32.const 52)))
      (i64x2.lt_s (local.get $k) (i64x2.splat (i64.const -1021)))))
    ;; |x| < 2⁻²⁸: 1 + x;  past the thresholds: +∞ or 0
    (local.set $tiny (i64x2.lt_s (local.get $hx) (i64x2.splat (i64.const 0x3e300000))))
    (local.set $scaled (v128.bitselect (f64x2.add (f64x2.splat (f64.const 1)) (local.get $x)) (local.get $scaled) (local.get $tiny)))
    (local.set $scaled (v128.bitselect (f64x2.splat (f64.const inf)) (local.get $scaled) (f64x2.gt (local.get $x) (f64x2.splat (global.get $overflow)))))
    (local.set $scaled (v128.bitselect (f64x2.splat (f64.const 0)) (local.get $scaled) (f64x2.lt (local.get $x) (f64x2.splat (global.get $underflow)))))
    ;; V8's Math.exp(1) returns Math.E exactly, one ulp below what the formula gives
    (v128.bitselect (f64x2.splat (f64.const 2.718281828459045)) (local.get $scaled) (f64x2.eq (local.get $x) (f64x2.splat (f64.const 1)))))

  ;; Lane by lane, b where b > a and a otherwise: a running maximum that a NaN never enters.
  (func $larger (param $a v128) (param $b v128) (result v128)
    (v128.bitselect (local.get $b) (local.get $a) (f64x2.gt (local.get $b) (local.get $a))))
  (func $larger32 (param $a v128) (param $b v128) (result v128)
    (v128.bitselect (local.get $b) (local.get $a) (f32x4.gt (local.get $b) (local.get $a))))

  ;; The largest non-NaN value of the float64 row [at, end), −∞ if there is none (JavaScript's
  ;; `if (x > m) m = x`, up to which of +0 and −0 it returns when both are largest). Four running
  ;; maxima of two lanes each, eight values a step, so that no comparison waits for the one before;
  ;; then the leftover pairs, across the lanes, and the last value.
  (func $rowMax (param $at i32) (param $end i32) (result f64)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $best f64) (local $other f64)
    (local.set $m0 (f64x2.splat (f64.const -inf)))
    (local.set $m1 (local.get $m0))
    (local.set $m2 (local.get $m0))
    (local.set $m3 (local.get $m0))
    (block $done (loop $eights
      (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 64)) (local.get $end)))
      (local.set $m0 (call $larger (local.get $m0) (v128.load (local.get $at))))
      (local.set $m1 (call $larger (local.get $m1) (v128.load offset=16 (local.get $at))))
      (local.set $m2 (call $larger (local.get $m2) (v128.load offset=32 (local.get $at))))
      (local.set $m3 (call $larger (local.get $m3) (v128.load offset=48 (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 64)))
      (br $eights)))
    (local.set $m0 (call $larger (call $larger (local.get $m0) (local.get $m1)) (call $larger (local.get $m2) (local.get $m3))))
    (block $done (loop $pairs
      (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
      (local.set $m0 (call $larger (local.get $m0) (v128.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $pairs)))
    (local.set $best (f64x2.extract_lane 0 (local.get $m0)))
    (local.set $other (f64x2.extract_lane 1 (local.get $m0)))
    (if (f64.gt (local.get $other) (local.get $best)) (then (local.set $best (local.get $other))))
    (if (i32.lt_u (local.get $at) (local.get $end)) (then
      (local.set $other (f64.load (local.get $at)))
      (if (f64.gt (local.get $other) (local.get $best)) (then (local.set $best (local.get $other))))))
    (local.get $best))

  ;; The same for a float32 row: four running maxima of four lanes, the leftover quads, across the
  ;; lanes in order, then the tail.
  (func $rowMax32 (param $at i32) (param $end i32) (result f32)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128) (local $best f32) (local $other f32)
    (local.set $m0 (f32x4.splat (f32.const -inf)))
    (local.set $m1 (local.get $m0))
    (local.set $m2 (local.get $m0))
    (local.set $m3 (local.get $m0))
    (block $done (loop $sixteens
      (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 64)) (local.get $end)))
      (local.set $m0 (call $larger32 (local.get $m0) (v128.load (local.get $at))))
      (local.set $m1 (call $larger32 (local.get $m1) (v128.load offset=16 (local.get $at))))
      (local.set $m2 (call $larger32 (local.get $m2) (v128.load offset=32 (local.get $at))))
      (local.set $m3 (call $larger32 (local.get $m3) (v128.load offset=48 (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 64)))
      (br $sixteens)))
    (local.set $m0 (call $larger32 (call $larger32 (local.get $m0) (local.get $m1)) (call $larger32 (local.get $m2) (local.get $m3))))
    (block $done (loop $quads
      (br_if $done (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
      (local.set $m0 (call $larger32 (local.get $m0) (v128.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $quads)))
    (local.set $best (f32x4.extract_lane 0 (local.get $m0)))
    (if (f32.gt (f32x4.extract_lane 1 (local.get $m0)) (local.get $best)) (then (local.set $best (f32x4.extract_lane 1 (local.get $m0)))))
    (if (f32.gt (f32x4.extract_lane 2 (local.get $m0)) (local.get $best)) (then (local.set $best (f32x4.extract_lane 2 (local.get $m0)))))
    (if (f32.gt (f32x4.extract_lane 3 (local.get $m0)) (local.get $best)) (then (local.set $best (f32x4.extract_lane 3 (local.get $m0)))))
    (block $done (loop $tail
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $other (f32.load (local.get $at)))
      (if (f32.gt (local.get $other) (local.get $best)) (then (local.set $best (local.get $other))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $tail)))
    (local.get $best))

  ;; Rows of `size` doubles at byte offset `at`, replaced by their softmax at temperature τ:
  ;; e = exp((x − m)/τ) summed in order, then e·(1/Σ e).
  (func (export "softmaxRows") (param $at i32) (param $rows i32) (param $size i32) (param $tau f64)
    (local $rowEnd i32) (local $p i32) (local $shift v128) (local $taus v128) (local $e v128) (local $sum f64) (local $sums v128)
    (local.set $taus (f64x2.splat (local.get $tau)))
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $at) (i32.shl (local.get $size) (i32.const 3))))
      (local.set $shift (f64x2.splat (call $rowMax (local.get $at) (local.get $rowEnd))))
      (local.set $sum (f64.const 0))
      (local.set $p (local.get $at))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (local.set $e (call $exp (f64x2.div (f64x2.sub (v128.load (local.get $p)) (local.get $shift)) (local.get $taus))))
        (v128.store (local.get $p) (local.get $e))
        (local.set $sum (f64.add (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $e))) (f64x2.extract_lane 1 (local.get $e))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd)) (then
        (local.set $e (call $exp (f64x2.div (f64x2.sub (f64x2.splat (f64.load (local.get $p))) (local.get $shift)) (local.get $taus))))
        (f64.store (local.get $p) (f64x2.extract_lane 0 (local.get $e)))
        (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $e))))))
      (local.set $sum (f64.div (f64.const 1) (local.get $sum)))
      (local.set $sums (f64x2.splat (local.get $sum)))
      (local.set $p (local.get $at))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (v128.store (local.get $p) (f64x2.mul (v128.load (local.get $p)) (local.get $sums)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd)) (then
        (f64.store (local.get $p) (f64.mul (f64.load (local.get $p)) (local.get $sum)))))
      (local.set $at (local.get $rowEnd))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

  ;; eˣ for four floats in float32 arithmetic: exp32 in src/kernels/exp32.ts, which documents the method.
  (func $exp32 (param $x v128) (result v128)
    (local $c v128) (local $kf v128) (local $k v128) (local $half v128) (local $r v128) (local $p v128) (local $y v128)
    (local.set $c (f32x4.pmin (f32x4.splat (f32.const 89)) (f32x4.pmax (f32x4.splat (f32.const -104)) (local.get $x))))
    (local.set $kf (f32x4.nearest (f32x4.mul (local.get $c) (f32x4.splat (f32.const 1.44269504088896341)))))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $c) (f32x4.mul (local.get $kf) (f32x4.splat (f32.const 0.693359375))))
      (f32x4.mul (local.get $kf) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.9875691500e-4)) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $y (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) (f32x4.splat (f32.const 1))))
    ;; 2^half and 2^(k - half), half = k >> 1, built from their exponent bits
    (local.set $k (i32x4.trunc_sat_f32x4_s (local.get $kf)))
    (local.set $half (i32x4.shr_s (local.get $k) (i32.const 1)))
    (local.set $y (f32x4.mul (local.get $y) (i32x4.shl (i32x4.add (local.get $half) (i32x4.splat (i32.const 127))) (i32.const 23))))
    (local.set $y (f32x4.mul (local.get $y) (i32x4.shl (i32x4.add (i32x4.sub (local.get $k) (local.get $half)) (i32x4.splat (i32.const 127))) (i32.const 23))))
    ;; NaN stays NaN (the clamp above keeps it, but the bits of 2ᵏ would not)
    (v128.bitselect (local.get $x) (local.get $y) (f32x4.ne (local.get $x) (local.get $x))))

  ;; (s0 + s1) + (s2 + s3) for four running sums held as (s0, s1) in `low` and (s2, s3) in `high`.
  (func $sumOfSums (param $low v128) (param $high v128) (result f64)
    (f64.add
      (f64.add (f64x2.extract_lane 0 (local.get $low)) (f64x2.extract_lane 1 (local.get $low)))
      (f64.add (f64x2.extract_lane 0 (local.get $high)) (f64x2.extract_lane 1 (local.get $high)))))

  ;; Rows of `size` floats at byte offset `at`, replaced by their softmax at temperature τ (a float32):
  ;; softmaxRowsFloat32 in src/kernels/softmax.ts, four floats at a time.
  (func (export "softmaxRowsF32") (param $at i32) (param $rows i32) (param $size i32) (param $tau f32)
    (local $rowEnd i32) (local $p i32)
    (local $shift v128) (local $taus v128) (local $e v128) (local $low v128) (local $high v128) (local $sum f64) (local $sums v128) (local $lane i32)
    (local.set $taus (f32x4.splat (local.get $tau)))
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $at) (i32.shl (local.get $size) (i32.const 2))))
      (local.set $shift (f32x4.splat (call $rowMax32 (local.get $at) (local.get $rowEnd))))
      ;; e = exp32((x − m)/τ), summed in float64: lanes 0 and 1 in $low, 2 and 3 in $high
      (local.set $low (f64x2.splat (f64.const 0)))
      (local.set $high (f64x2.splat (f64.const 0)))
      (local.set $p (local.get $at))
      (block $done (loop $quads
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (local.set $e (call $exp32 (f32x4.div (f32x4.sub (v128.load (local.get $p)) (local.get $shift)) (local.get $taus))))
        (v128.store (local.get $p) (local.get $e))
        (local.set $low (f64x2.add (local.get $low) (f64x2.promote_low_f32x4 (local.get $e))))
        (local.set $high (f64x2.add (local.get $high) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $quads)))
      (local.set $sum (call $sumOfSums (local.get $low) (local.get $high)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $p) (local.get $rowEnd)))
        (local.set $e (call $exp32 (f32x4.div (f32x4.sub (f32x4.splat (f32.load (local.get $p))) (local.get $shift)) (local.get $taus))))
        (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $e)))
        (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32x4.extract_lane 0 (local.get $e)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tail)))
      ;; y = e·(1/Σ), multiplied in float64 and rounded to float32 once
      (local.set $sum (f64.div (f64.const 1) (local.get $sum)))
      (local.set $sums (f64x2.splat (local.get $sum)))
      (local.set $p (local.get $at))
      (block $done (loop $quads
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (local.set $e (v128.load (local.get $p)))
        (v128.store (local.get $p) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (local.get $e)) (local.get $sums)))
          (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e))) (local.get $sums)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $quads)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $p) (local.get $rowEnd)))
        (f32.store (local.get $p) (f32.demote_f64 (f64.mul (f64.promote_f32 (f32.load (local.get $p))) (local.get $sum))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $tail)))
      (local.set $at (local.get $rowEnd))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

;; Log-softmax rows of `size` doubles at byte offset `at`, in place, as softmaxRows in
  ;; src/kernels/softmax.ts computes them with `log`: m = max x, s = Σ exp(x − m) one value after
  ;; another, then x − (m + log s), with Math.log's own value of log s.
  (func (export "logSoftmaxRows") (param $at i32) (param $rows i32) (param $size i32)
    (local $rowEnd i32) (local $p i32) (local $m f64) (local $shift v128) (local $e v128) (local $sum f64) (local $lse v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $at) (i32.shl (local.get $size) (i32.const 3))))
      (local.set $m (call $rowMax (local.get $at) (local.get $rowEnd)))
      (local.set $shift (f64x2.splat (local.get $m)))
      (local.set $sum (f64.const 0))
      (local.set $p (local.get $at))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (local.set $e (call $exp (f64x2.sub (v128.load (local.get $p)) (local.get $shift))))
        (local.set $sum (f64.add (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $e))) (f64x2.extract_lane 1 (local.get $e))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd)) (then
        (local.set $e (call $exp (f64x2.sub (f64x2.splat (f64.load (local.get $p))) (local.get $shift))))
        (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $e))))))
      (local.set $lse (f64x2.splat (f64.add (local.get $m) (call $log (local.get $sum)))))
      (local.set $p (local.get $at))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (v128.store (local.get $p) (f64x2.sub (v128.load (local.get $p)) (local.get $lse)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd))
        (then (f64.store (local.get $p) (f64.sub (f64.load (local.get $p)) (f64x2.extract_lane 0 (local.get $lse))))))
      (local.set $at (local.get $rowEnd))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

  ;; The same for float32 rows, two floats at a time: each exp(x − m) is computed in float64 and
  ;; rounded to float32 before it is added, as the plain loop stores it into its float32 output first.
  (func (export "logSoftmaxRowsF32") (param $at i32) (param $rows i32) (param $size i32)
    (local $rowEnd i32) (local $p i32) (local $m f64) (local $shift v128) (local $e v128) (local $sum f64) (local $lse v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $at) (i32.shl (local.get $size) (i32.const 2))))
      (local.set $m (f64.promote_f32 (call $rowMax32 (local.get $at) (local.get $rowEnd))))
      (local.set $shift (f64x2.splat (local.get $m)))
      (local.set $sum (f64.const 0))
      (local.set $p (local.get $at))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $rowEnd)))
        (local.set $e (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
          (call $exp (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $shift))))))
        (local.set $sum (f64.add (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $e))) (f64x2.extract_lane 1 (local.get $e))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd)) (then
        (local.set $e (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
          (call $exp (f64x2.sub (f64x2.splat (f64.promote_f32 (f32.load (local.get $p)))) (local.get $shift))))))
        (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $e))))))
      (local.set $lse (f64x2.splat (f64.add (local.get $m) (call $log (local.get $sum)))))
      (local.set $p (local.get $at))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $rowEnd)))
        (v128.store64_lane 0 (local.get $p) (f32x4.demote_f64x2_zero
          (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $lse))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd))
        (then (f32.store (local.get $p) (f32.demote_f64 (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (f64x2.extract_lane 0 (local.get $lse)))))))
      (local.set $at (local.get $rowEnd))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

  ;; The softmax vjp along rows: d = sum of g*y over the row in float64, in the four running sums of
  ;; softmaxBackwardRows in src/kernels/softmax.ts (lanes 0 and 1 of $low hold sums 0 and 1, lanes 0
  ;; and 1 of $high sums 2 and 3), then y*(g - d)/tau two values at a time, written over y. The
  ;; float32 copy widens each value to float64 and narrows on store, as JavaScript does when it reads
  ;; and writes a Float32Array.
  (func (export "softmaxBackwardRows") (param $y i32) (param $g i32) (param $rows i32) (param $size i32) (param $tau f64)
    (local $rowEnd i32) (local $p i32) (local $q i32) (local $d f64) (local $ds v128) (local $taus v128) (local $low v128) (local $high v128)
    (local.set $taus (f64x2.splat (local.get $tau)))
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $y) (i32.mul (local.get $size) (i32.const 8))))
      (local.set $low (f64x2.splat (f64.const 0)))
      (local.set $high (f64x2.splat (f64.const 0)))
      (local.set $p (local.get $y))
      (local.set $q (local.get $g))
      (block $done (loop $quads
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $rowEnd)))
        (local.set $low (f64x2.add (local.get $low) (f64x2.mul (v128.load (local.get $q)) (v128.load (local.get $p)))))
        (local.set $high (f64x2.add (local.get $high) (f64x2.mul (v128.load offset=16 (local.get $q)) (v128.load offset=16 (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $q (i32.add (local.get $q) (i32.const 32)))
        (br $quads)))
      (local.set $d (call $sumOfSums (local.get $low) (local.get $high)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $p) (local.get $rowEnd)))
        (local.set $d (f64.add (local.get $d) (f64.mul (f64.load (local.get $q)) (f64.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $tail)))
      (local.set $ds (f64x2.splat (local.get $d)))
      (local.set $p (local.get $y))
      (local.set $q (local.get $g))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (v128.store (local.get $p) (f64x2.div (f64x2.mul (v128.load (local.get $p)) (f64x2.sub (v128.load (local.get $q)) (local.get $ds))) (local.get $taus)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd))
        (then (f64.store (local.get $p) (f64.div (f64.mul (f64.load (local.get $p)) (f64.sub (f64.load (local.get $q)) (local.get $d))) (local.get $tau)))))
      (local.set $y (local.get $rowEnd))
      (local.set $g (i32.add (local.get $g) (i32.mul (local.get $size) (i32.const 8))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))
  (func (export "softmaxBackwardRowsF32") (param $y i32) (param $g i32) (param $rows i32) (param $size i32) (param $tau f64)
    (local $rowEnd i32) (local $p i32) (local $q i32) (local $d f64) (local $ds v128) (local $taus v128) (local $low v128) (local $high v128)
    (local.set $taus (f64x2.splat (local.get $tau)))
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $y) (i32.mul (local.get $size) (i32.const 4))))
      (local.set $low (f64x2.splat (f64.const 0)))
      (local.set $high (f64x2.splat (f64.const 0)))
      (local.set $p (local.get $y))
      (local.set $q (local.get $g))
      (block $done (loop $quads
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (local.set $low (f64x2.add (local.get $low) (f64x2.mul
          (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $q))) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))))
        (local.set $high (f64x2.add (local.get $high) (f64x2.mul
          (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $q))) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $quads)))
      (local.set $d (call $sumOfSums (local.get $low) (local.get $high)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $p) (local.get $rowEnd)))
        (local.set $d (f64.add (local.get $d) (f64.mul (f64.promote_f32 (f32.load (local.get $q))) (f64.promote_f32 (f32.load (local.get $p))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $tail)))
      (local.set $ds (f64x2.splat (local.get $d)))
      (local.set $p (local.get $y))
      (local.set $q (local.get $g))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $rowEnd)))
        (v128.store64_lane 0 (local.get $p) (f32x4.demote_f64x2_zero (f64x2.div (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $q))) (local.get $ds))) (local.get $taus))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd))
        (then (f32.store (local.get $p) (f32.demote_f64 (f64.div (f64.mul (f64.promote_f32 (f32.load (local.get $p))) (f64.sub (f64.promote_f32 (f32.load (local.get $q))) (local.get $d))) (local.get $tau))))))
      (local.set $y (local.get $rowEnd))
      (local.set $g (i32.add (local.get $g) (i32.mul (local.get $size) (i32.const 4))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

;; The Gumbel perturbation along rows: (x - m) + g with m the row's largest non-NaN value (plus 0,
  ;; so a maximum of -0 shifts as +0 does), in float64, written over x: shiftedPerturbation in
  ;; src/kernels/softmax.ts.
  (func (export "shiftedPerturbationRows") (param $x i32) (param $g i32) (param $rows i32) (param $size i32)
    (local $rowEnd i32) (local $p i32) (local $q i32) (local $m f64) (local $ms v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $x) (i32.mul (local.get $size) (i32.const 8))))
      (local.set $m (f64.add (call $rowMax (local.get $x) (local.get $rowEnd)) (f64.const 0)))
      (local.set $ms (f64x2.splat (local.get $m)))
      (local.set $p (local.get $x))
      (local.set $q (local.get $g))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $rowEnd)))
        (v128.store (local.get $p) (f64x2.add (f64x2.sub (v128.load (local.get $p)) (local.get $ms)) (v128.load (local.get $q))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd))
        (then (f64.store (local.get $p) (f64.add (f64.sub (f64.load (local.get $p)) (local.get $m)) (f64.load (local.get $q))))))
      (local.set $x (local.get $rowEnd))
      (local.set $g (i32.add (local.get $g) (i32.mul (local.get $size) (i32.const 8))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))
  (func (export "shiftedPerturbationRowsF32") (param $x i32) (param $g i32) (param $rows i32) (param $size i32)
    (local $rowEnd i32) (local $p i32) (local $q i32) (local $m f64) (local $ms v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $x) (i32.mul (local.get $size) (i32.const 4))))
      (local.set $m (f64.add (f64.promote_f32 (call $rowMax32 (local.get $x) (local.get $rowEnd))) (f64.const 0)))
      (local.set $ms (f64x2.splat (local.get $m)))
      (local.set $p (local.get $x))
      (local.set $q (local.get $g))
      (block $done (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $rowEnd)))
        (v128.store64_lane 0 (local.get $p) (f32x4.demote_f64x2_zero (f64x2.add (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (local.get $ms)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $q))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $pairs)))
      (if (i32.lt_u (local.get $p) (local.get $rowEnd))
        (then (f32.store (local.get $p) (f32.demote_f64 (f64.add (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (local.get $m)) (f64.promote_f32 (f32.load (local.get $q))))))))
      (local.set $x (local.get $rowEnd))
      (local.set $g (i32.add (local.get $g) (i32.mul (local.get $size) (i32.const 4))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

  ;; eˣ of `count` values at byte offset `at`, in place (doubles, or floats with `single`): for testing $exp against Math.exp and $exp32 against exp32.
  (func (export "expInPlace") (param $at i32) (param $count i32) (param $single i32)
    (block $done (loop $each
      (br_if $done (i32.eqz (local.get $count)))
      (if (local.get $single)
        (then (f32.store (local.get $at) (f32x4.extract_lane 0 (call $exp32 (f32x4.splat (f32.load (local.get $at)))))))
        (else (f64.store (local.get $at) (f64x2.extract_lane 0 (call $exp (f64x2.splat (f64.load (local.get $at))))))))
      (local.set $at (i32.add (local.get $at) (select (i32.const 4) (i32.const 8) (local.get $single))))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br $each))))

  ;; The exp and sigmoid ops, elementwise, live here beside $exp, which they share with softmax.
  ;; σ(x) for two doubles as the plain kernel computes it: 1/(1 + e^−x) for x ≥ 0, eˣ/(1 + eˣ) below,
  ;; both from e = e^−|x|, so neither overflows.
  (func $sigmoid (param $x v128) (result v128)
    (local $e v128) (local $onePlusE v128)
    (local.set $e (call $exp (f64x2.neg (f64x2.abs (local.get $x)))))
    (local.set $onePlusE (f64x2.add (f64x2.splat (f64.const 1)) (local.get $e)))
    (v128.bitselect (f64x2.div (f64x2.splat (f64.const 1)) (local.get $onePlusE)) (f64x2.div (local.get $e) (local.get $onePlusE))
      (f64x2.ge (local.get $x) (f64x2.splat (f64.const 0)))))

  ;; eˣ and σ(x) of `count` values at byte offset `at`, in place: doubles two at a time; floats widened
  ;; to doubles two at a time and rounded back, as JavaScript's Math.exp on a Float32Array is.
  (func (export "expValues") (param $at i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $at) (i32.mul (local.get $count) (i32.const 8))))
    (block $tail (loop $pairs
      (br_if $tail (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $at) (call $exp (v128.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f64.store (local.get $at) (f64x2.extract_lane 0 (call $exp (f64x2.splat (f64.load (local.get $at)))))))))
  (func (export "expValuesF32") (param $at i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $at) (i32.mul (local.get $count) (i32.const 4))))
    (block $tail (loop $pairs
      (br_if $tail (i32.gt_u (i32.add (local.get $at) (i32.const 8)) (local.get $end)))
      (v128.store64_lane 0 (local.get $at) (f32x4.demote_f64x2_zero (call $exp (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at))))))
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (br $pairs)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f32.store (local.get $at) (f32.demote_f64 (f64x2.extract_lane 0 (call $exp (f64x2.splat (f64.promote_f32 (f32.load (local.get $at)))))))))))
  (func (export "sigmoidValues") (param $at i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $at) (i32.mul (local.get $count) (i32.const 8))))
    (block $tail (loop $pairs
      (br_if $tail (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $at) (call $sigmoid (v128.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f64.store (local.get $at) (f64x2.extract_lane 0 (call $sigmoid (f64x2.splat (f64.load (local.get $at)))))))))
  (func (export "sigmoidValuesF32") (param $at i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $at) (i32.mul (local.get $count) (i32.const 4))))
    (block $tail (loop $pairs
      (br_if $tail (i32.gt_u (i32.add (local.get $at) (i32.const 8)) (local.get $end)))
      (v128.store64_lane 0 (local.get $at) (f32x4.demote_f64x2_zero (call $sigmoid (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at))))))
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (br $pairs)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f32.store (local.get $at) (f32.demote_f64 (f64x2.extract_lane 0 (call $sigmoid (f64x2.splat (f64.promote_f32 (f32.load (local.get $at)))))))))))

  ;; softplus(x) = max(x, 0) + log1p(e^−|x|) for two doubles, as the plain kernel computes it.
  (func $softplus (param $x v128) (result v128)
    (f64x2.add (f64x2.max (local.get $x) (f64x2.splat (f64.const 0)))
      (call $log1pUnit (call $exp (f64x2.neg (f64x2.abs (local.get $x)))))))

  ;; log1p x for two doubles 0 ≤ x ≤ 1 (or NaN), the only arguments softplus gives it: fdlibm's
  ;; s_log1p.c, which V8's Math.log1p is, with its branches as selects. Below 2⁻²⁹ it is x − x²/2 (x
  ;; itself below 2⁻⁵⁴); below 0.41422, f = x and k = 0; above, u = 1 + x is split as 2ᵏ(1 + f)
  ;; with √2/2 ≤ 1 + f < √2, which makes k = 1 here, and c corrects the rounding of 1 + x.
  (func $log1pUnit (param $x v128) (result v128)
    (local $hx v128) (local $u v128) (local $hu v128) (local $c v128) (local $low v128) (local $f v128)
    (local $hfsq v128) (local $s v128) (local $z v128) (local $r v128) (local $withK v128) (local $huZero v128) (local $y v128)
    (local.set $hx (i64x2.shr_u (local.get $x) (i32.const 32)))
    ;; u = 1 + x;  c = (u ≥ 2 ? 1 − (u − x) : x − (u − 1))/u;  hu = the top 20 bits of u's mantissa
    (local.set $u (f64x2.add (f64x2.splat (f64.const 1)) (local.get $x)))
    (local.set $c (f64x2.div (v128.bitselect
        (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.sub (local.get $u) (local.get $x)))
        (f64x2.sub (local.get $x) (f64x2.sub (local.get $u) (f64x2.splat (f64.const 1))))
        (f64x2.ge (local.get $u) (f64x2.splat (f64.const 2))))
      (local.get $u)))
    (local.set $hu (v128.and (i64x2.shr_u (local.get $u) (i32.const 32)) (i64x2.splat (i64.const 0x000fffff))))
    ;; 1 + f: u's mantissa with exponent 0 below √2, else with exponent −1 (u/2); hu becomes 0 where |f| < 2⁻²⁰
    (local.set $low (i64x2.lt_s (local.get $hu) (i64x2.splat (i64.const 0x6a09e))))
    (local.set $u (v128.or (v128.and (local.get $u) (i64x2.splat (i64.const 0x00000000ffffffff)))
      (i64x2.shl (v128.or (local.get $hu) (v128.bitselect (i64x2.splat (i64.const 0x3ff00000)) (i64x2.splat (i64.const 0x3fe00000)) (local.get $low))) (i32.const 32))))
    (local.set $hu (v128.bitselect (local.get $hu)
      (i64x2.shr_s (i64x2.sub (i64x2.splat (i64.const 0x00100000)) (local.get $hu)) (i32.const 2)) (local.get $low)))
    (local.set $withK (i64x2.ge_s (local.get $hx) (i64x2.splat (i64.const 0x3fda827a))))
    (local.set $f (v128.bitselect (f64x2.sub (local.get $u) (f64x2.splat (f64.const 1))) (local.get $x) (local.get $withK)))
    ;; log(1 + f) = f − (hfsq − s·(hfsq + R)), s = f/(2 + f), R = z·P(z), z = s²;  plus k·ln2 and c where k = 1
    (local.set $hfsq (f64x2.mul (f64x2.mul (f64x2.splat (f64.const 0.5)) (local.get $f)) (local.get $f)))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $r (f64x2.mul (local.get $z)
      (f64x2.add (f64x2.splat (global.get $lp1)) (f64x2.mul (local.get $z)
        (f64x2.add (f64x2.splat (global.get $lp2)) (f64x2.mul (local.get $z)
          (f64x2.add (f64x2.splat (global.get $lp3)) (f64x2.mul (local.get $z)
            (f64x2.add (f64x2.splat (global.get $lp4)) (f64x2.mul (local.get $z)
              (f64x2.add (f64x2.splat (global.get $lp5)) (f64x2.mul (local.get $z)
                (f64x2.add (f64x2.splat (global.get $lp6)) (f64x2.mul (local.get $z) (f64x2.splat (global.get $lp7))))))))))))))))
    (local.set $y (v128.bitselect
      (f64x2.sub (f64x2.splat (global.get $ln2Hi)) (f64x2.sub (f64x2.sub (local.get $hfsq)
        (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r))) (f64x2.add (f64x2.splat (global.get $ln2Lo)) (local.get $c))))
        (local.get $f)))
      (f64x2.sub (local.get $f) (f64x2.sub (local.get $hfsq) (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r)))))
      (local.get $withK)))
    ;; |f| < 2⁻²⁰ (only where k = 1): ln2 + c at f = 0, else k·ln2 − ((hfsq·(1 − ⅔f) − (ln2_lo + c)) − f)
    (local.set $huZero (v128.and (local.get $withK) (i64x2.eq (local.get $hu) (i64x2.splat (i64.const 0)))))
    (local.set $y (v128.bitselect
      (v128.bitselect
        (f64x2.add (f64x2.splat (global.get $ln2Hi)) (f64x2.add (local.get $c) (f64x2.splat (global.get $ln2Lo))))
        (f64x2.sub (f64x2.splat (global.get $ln2Hi)) (f64x2.sub (f64x2.sub
          (f64x2.mul (local.get $hfsq) (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.splat (f64.const 0.66666666666666666)) (local.get $f))))
          (f64x2.add (f64x2.splat (global.get $ln2Lo)) (local.get $c))) (local.get $f)))
        (f64x2.eq (local.get $f) (f64x2.splat (f64.const 0))))
      (local.get $y) (local.get $huZero)))
    ;; x < 2⁻²⁹: x − x·x·0.5, and x itself below 2⁻⁵⁴;  NaN stays NaN
    (local.set $y (v128.bitselect
      (v128.bitselect (local.get $x) (f64x2.sub (local.get $x) (f64x2.mul (f64x2.mul (local.get $x) (local.get $x)) (f64x2.splat (f64.const 0.5))))
        (i64x2.lt_s (local.get $hx) (i64x2.splat (i64.const 0x3c900000))))
      (local.get $y) (i64x2.lt_s (local.get $hx) (i64x2.splat (i64.const 0x3e200000)))))
    (v128.bitselect (f64x2.add (local.get $x) (local.get $x)) (local.get $y) (f64x2.ne (local.get $x) (local.get $x))))

  (func (export "softplusValues") (param $at i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $at) (i32.mul (local.get $count) (i32.const 8))))
    (block $tail (loop $pairs
      (br_if $tail (i32.gt_u (i32.add (local.get $at) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $at) (call $softplus (v128.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f64.store (local.get $at) (f64x2.extract_lane 0 (call $softplus (f64x2.splat (f64.load (local.get $at)))))))))
  (func (export "softplusValuesF32") (param $at i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $at) (i32.mul (local.get $count) (i32.const 4))))
    (block $tail (loop $pairs
      (br_if $tail (i32.gt_u (i32.add (local.get $at) (i32.const 8)) (local.get $end)))
      (v128.store64_lane 0 (local.get $at) (f32x4.demote_f64x2_zero (call $softplus (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $at))))))
      (local.set $at (i32.add (local.get $at) (i32.const 8)))
      (br $pairs)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f32.store (local.get $at) (f32.demote_f64 (f64x2.extract_lane 0 (call $softplus (f64x2.splat (f64.promote_f32 (f32.load (local.get $at)))))))))))
)
