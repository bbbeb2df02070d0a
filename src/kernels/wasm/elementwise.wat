;; Elementwise add, sub, mul and div in WebAssembly SIMD: out[i] = a[i] op b[i] for `count` values
;; at byte offsets a, b and out (out may be a or b); also relu and its gradient. `npm run build:wasm`
;; compiles it into elementwise.generated.ts; src/kernels/elementwiseWasm.ts copies the operands in
;; and the result out.
;; IEEE arithmetic rounds each operation once, in float64 or float32, as the plain-TypeScript kernels
;; of src/kernels/elementwise.ts do (a float32 product or quotient computed in double and rounded
;; to float32 is the correctly rounded one), so both give the same values.
(module
  (memory (export "memory") 4)
  (func (export "add_f64") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 8))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f64x2.add (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f64.store (local.get $out) (f64.add (f64.load (local.get $a)) (f64.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (br $scalars))))
  (func (export "add_f32") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 4))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f32.store (local.get $out) (f32.add (f32.load (local.get $a)) (f32.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $scalars))))
  (func (export "sub_f64") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 8))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f64x2.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f64.store (local.get $out) (f64.sub (f64.load (local.get $a)) (f64.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (br $scalars))))
  (func (export "sub_f32") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 4))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f32.store (local.get $out) (f32.sub (f32.load (local.get $a)) (f32.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $scalars))))
  (func (export "mul_f64") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 8))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f64x2.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f64.store (local.get $out) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (br $scalars))))
  (func (export "mul_f32") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 4))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f32.store (local.get $out) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $scalars))))
  (func (export "div_f64") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 8))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f64x2.div (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f64.store (local.get $out) (f64.div (f64.load (local.get $a)) (f64.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (br $scalars))))
  (func (export "div_f32") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 4))))
    ;; four or two lanes at a time, then the last few one by one
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f32x4.div (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f32.store (local.get $out) (f32.div (f32.load (local.get $a)) (f32.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $scalars))))
  ;; relu, out = x < 0 ? 0 : x, and its gradient, out = x ≤ 0 ? 0 : g (a = g, b = x), as the plain
  ;; kernels define them (a NaN x stays NaN, or passes g; −0 stays −0): masks instead of the plain
  ;; loops' branches, which a random sign mispredicts half the time.
  (func (export "relu_f64") (param $x i32) (param $out i32) (param $count i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 8))))
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $out) (v128.andnot (local.get $v) (f64x2.lt (local.get $v) (v128.const f64x2 0 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f64.store (local.get $out) (select (f64.const 0) (f64.load (local.get $x)) (f64.lt (f64.load (local.get $x)) (f64.const 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (br $scalars))))
  (func (export "relu_f32") (param $x i32) (param $out i32) (param $count i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 4))))
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $out) (v128.andnot (local.get $v) (f32x4.lt (local.get $v) (v128.const f32x4 0 0 0 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f32.store (local.get $out) (select (f32.const 0) (f32.load (local.get $x)) (f32.lt (f32.load (local.get $x)) (f32.const 0))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $scalars))))
  (func (export "reluGradient_f64") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 8))))
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (v128.andnot (v128.load (local.get $a)) (f64x2.le (v128.load (local.get $b)) (v128.const f64x2 0 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f64.store (local.get $out) (select (f64.const 0) (f64.load (local.get $a)) (f64.le (f64.load (local.get $b)) (f64.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (br $scalars))))
  (func (export "reluGradient_f32") (param $a i32) (param $b i32) (param $out i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.mul (local.get $count) (i32.const 4))))
    (block $tail (loop $vectors
      (br_if $tail (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (v128.andnot (v128.load (local.get $a)) (f32x4.le (v128.load (local.get $b)) (v128.const f32x4 0 0 0 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $vectors)))
    (block $done (loop $scalars
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (f32.store (local.get $out) (select (f32.const 0) (f32.load (local.get $a)) (f32.le (f32.load (local.get $b)) (f32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (br $scalars))))
  ;; The sum over the leading axis of `rows` rows of `cols` values at x, added into out[0…cols):
  ;; out[j] += x[r·cols + j] for r = 0, 1, …, down each column in row order, as sumColumnsLoop in
  ;; src/kernels/reduce.ts adds them (each addition rounded in the dtype), two or four columns at once.
  (func (export "sumColumns_f64") (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $p i32) (local $end i32)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $p (local.get $out))
      (local.set $end (i32.add (local.get $out) (i32.mul (local.get $cols) (i32.const 8))))
      (block $tail (loop $vectors
        (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vectors)))
      (if (i32.lt_u (local.get $p) (local.get $end)) (then
        (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))
  (func (export "sumColumns_f32") (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $p i32) (local $end i32)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $p (local.get $out))
      (local.set $end (i32.add (local.get $out) (i32.mul (local.get $cols) (i32.const 4))))
      (block $tail (loop $vectors
        (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $vectors)))
      (block $done (loop $scalars
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (f32.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $scalars)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))
)
