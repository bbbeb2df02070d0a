;; The matmul kernels in WebAssembly SIMD, float64 and float32: packing, then C += A·B over the
;; packed panels, and the squared distances that squaredDistances makes from a product in place. Written by hand in the text format; `npm run build:wasm` compiles it into
;; matmul.generated.ts.
;;
;; Tiles: 4 rows of A times 32 bytes of B (4 doubles or 8 floats). A is `np` panels of kc steps ×
;; 4 rows, B is `mp` panels of kc steps × 32 bytes, C is a row-major (4·np) × (32·mp bytes) matrix.
;; A tile lives in eight v128 accumulators (two per row), fed per step by two vector loads of B and
;; four values of A, each loaded straight into every lane (load64_splat / load32_splat): 8 vector
;; multiply-adds for 6 loads. Eleven live v128 values fit in x86-64's 16 vector registers; V8 keeps
;; a few for itself, and a 5- or 6-row tile (13–15 live values) spills and runs at half the speed.
;; The tile loop runs near the machine's peak for separate multiplies and adds (WebAssembly SIMD
;; has no fused multiply-add without the relaxed-SIMD proposal); the packing functions below and
;; the copies in and out take about a tenth of a 256×256 product.
(module
  (memory (export "memory") 1)
  ;; float64: 4×4 tiles, two doubles per instruction; an A step is 4 doubles (32 bytes).
  (func (export "tiles") (param $a i32) (param $b i32) (param $c i32) (param $np i32) (param $mp i32) (param $kc i32)
    (local $ip i32) (local $jp i32) (local $ap i32) (local $bp i32) (local $bEnd i32) (local $cp i32)
    (local $rowBytes i32) (local $aPanelBytes i32) (local $bPanelBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local.set $rowBytes (i32.mul (local.get $mp) (i32.const 32)))
    (local.set $aPanelBytes (i32.mul (local.get $kc) (i32.const 32)))
    (local.set $bPanelBytes (i32.mul (local.get $kc) (i32.const 32)))
    (local.set $ip (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $ip) (local.get $np)))
        (local.set $jp (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $jp) (local.get $mp)))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $ip) (local.get $aPanelBytes))))
            (local.set $bp (i32.add (local.get $b) (i32.mul (local.get $jp) (local.get $bPanelBytes))))
            (local.set $c00 (v128.const f64x2 0 0)) (local.set $c01 (v128.const f64x2 0 0))
            (local.set $c10 (v128.const f64x2 0 0)) (local.set $c11 (v128.const f64x2 0 0))
            (local.set $c20 (v128.const f64x2 0 0)) (local.set $c21 (v128.const f64x2 0 0))
            (local.set $c30 (v128.const f64x2 0 0)) (local.set $c31 (v128.const f64x2 0 0))
            (local.set $bEnd (i32.add (local.get $bp) (local.get $bPanelBytes)))
            (block $stepsDone
              (loop $steps
                (br_if $stepsDone (i32.eq (local.get $bp) (local.get $bEnd)))
                (local.set $b0 (v128.load offset=0 (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $av (v128.load64_splat offset=0 (local.get $ap)))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $av (v128.load64_splat offset=8 (local.get $ap)))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $av (v128.load64_splat offset=16 (local.get $ap)))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $av (v128.load64_splat offset=24 (local.get $ap)))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
                (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
                (br $steps)))
            (local.set $cp (i32.add (local.get $c)
              (i32.add (i32.mul (i32.mul (local.get $ip) (i32.const 4)) (local.get $rowBytes)) (i32.mul (local.get $jp) (i32.const 32)))))
            (v128.store offset=0 (local.get $cp) (f64x2.add (v128.load offset=0 (local.get $cp)) (local.get $c00)))
            (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c01)))
            (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $cp) (f64x2.add (v128.load offset=0 (local.get $cp)) (local.get $c10)))
            (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c11)))
            (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $cp) (f64x2.add (v128.load offset=0 (local.get $cp)) (local.get $c20)))
            (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c21)))
            (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $cp) (f64x2.add (v128.load offset=0 (local.get $cp)) (local.get $c30)))
            (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c31)))
            (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
            (br $cols)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (br $rows))))
  ;; float32: 4×8 tiles, four floats per instruction; an A step is 4 floats (16 bytes).
  (func (export "tilesF32") (param $a i32) (param $b i32) (param $c i32) (param $np i32) (param $mp i32) (param $kc i32)
    (local $ip i32) (local $jp i32) (local $ap i32) (local $bp i32) (local $bEnd i32) (local $cp i32)
    (local $rowBytes i32) (local $aPanelBytes i32) (local $bPanelBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local.set $rowBytes (i32.mul (local.get $mp) (i32.const 32)))
    (local.set $aPanelBytes (i32.mul (local.get $kc) (i32.const 16)))
    (local.set $bPanelBytes (i32.mul (local.get $kc) (i32.const 32)))
    (local.set $ip (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $ip) (local.get $np)))
        (local.set $jp (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $jp) (local.get $mp)))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $ip) (local.get $aPanelBytes))))
            (local.set $bp (i32.add (local.get $b) (i32.mul (local.get $jp) (local.get $bPanelBytes))))
            (local.set $c00 (v128.const f32x4 0 0 0 0)) (local.set $c01 (v128.const f32x4 0 0 0 0))
            (local.set $c10 (v128.const f32x4 0 0 0 0)) (local.set $c11 (v128.const f32x4 0 0 0 0))
            (local.set $c20 (v128.const f32x4 0 0 0 0)) (local.set $c21 (v128.const f32x4 0 0 0 0))
            (local.set $c30 (v128.const f32x4 0 0 0 0)) (local.set $c31 (v128.const f32x4 0 0 0 0))
            (local.set $bEnd (i32.add (local.get $bp) (local.get $bPanelBytes)))
            (block $stepsDone
              (loop $steps
                (br_if $stepsDone (i32.eq (local.get $bp) (local.get $bEnd)))
                (local.set $b0 (v128.load offset=0 (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $av (v128.load32_splat offset=0 (local.get $ap)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $av (v128.load32_splat offset=4 (local.get $ap)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $av (v128.load32_splat offset=8 (local.get $ap)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $av (v128.load32_splat offset=12 (local.get $ap)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
                (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
                (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
                (br $steps)))
            (local.set $cp (i32.add (local.get $c)
              (i32.add (i32.mul (i32.mul (local.get $ip) (i32.const 4)) (local.get $rowBytes)) (i32.mul (local.get $jp) (i32.const 32)))))
            (v128.store offset=0 (local.get $cp) (f32x4.add (v128.load offset=0 (local.get $cp)) (local.get $c00)))
            (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c01)))
            (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $cp) (f32x4.add (v128.load offset=0 (local.get $cp)) (local.get $c10)))
            (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c11)))
            (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $cp) (f32x4.add (v128.load offset=0 (local.get $cp)) (local.get $c20)))
            (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c21)))
            (local.set $cp (i32.add (local.get $cp) (local.get $rowBytes)))
            (v128.store offset=0 (local.get $cp) (f32x4.add (v128.load offset=0 (local.get $cp)) (local.get $c30)))
            (v128.store offset=16 (local.get $cp) (f32x4.add (v128.load offset=16 (local.get $cp)) (local.get $c31)))
            (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
            (br $cols)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (br $rows))))
  ;; packA: A panels for f64 tiles. A's element (i, p) is at src + i·rowStride + p·colStride (bytes, of
  ;; any sign: transposed and reversed views are packed as they lie); panel ip holds A[4·ip + r, p] at
  ;; dst + ((ip·kc + p)·4 + r)·8, zero for rows past n.
  (func (export "packA") (param $src i32) (param $rowStride i32) (param $colStride i32) (param $n i32) (param $kc i32) (param $dst i32)
    (local $i i32) (local $r i32) (local $p i32) (local $from i32) (local $to i32)
    (block $done
      (loop $strips
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r (i32.const 0))
        (loop $rows
          (local.set $from (i32.add (local.get $src) (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $rowStride))))
          (local.set $to (i32.add (local.get $dst) (i32.mul (local.get $r) (i32.const 8))))
          (local.set $p (local.get $kc))
          (if (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $n))
            (then
              (loop $copy
                (f64.store (local.get $to) (f64.load (local.get $from)))
                (local.set $from (i32.add (local.get $from) (local.get $colStride)))
                (local.set $to (i32.add (local.get $to) (i32.const 32)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br_if $copy (local.get $p))))
            (else
              (loop $zero
                (f64.store (local.get $to) (f64.const 0))
                (local.set $to (i32.add (local.get $to) (i32.const 32)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br_if $zero (local.get $p)))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $r) (i32.const 4))))
        (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const 32))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $strips))))
  ;; packAF32: A panels for f32 tiles. A's element (i, p) is at src + i·rowStride + p·colStride (bytes, of
  ;; any sign: transposed and reversed views are packed as they lie); panel ip holds A[4·ip + r, p] at
  ;; dst + ((ip·kc + p)·4 + r)·4, zero for rows past n.
  (func (export "packAF32") (param $src i32) (param $rowStride i32) (param $colStride i32) (param $n i32) (param $kc i32) (param $dst i32)
    (local $i i32) (local $r i32) (local $p i32) (local $from i32) (local $to i32)
    (block $done
      (loop $strips
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r (i32.const 0))
        (loop $rows
          (local.set $from (i32.add (local.get $src) (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $rowStride))))
          (local.set $to (i32.add (local.get $dst) (i32.mul (local.get $r) (i32.const 4))))
          (local.set $p (local.get $kc))
          (if (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $n))
            (then
              (loop $copy
                (f32.store (local.get $to) (f32.load (local.get $from)))
                (local.set $from (i32.add (local.get $from) (local.get $colStride)))
                (local.set $to (i32.add (local.get $to) (i32.const 16)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br_if $copy (local.get $p))))
            (else
              (loop $zero
                (f32.store (local.get $to) (f32.const 0))
                (local.set $to (i32.add (local.get $to) (i32.const 16)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br_if $zero (local.get $p)))))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br_if $rows (i32.lt_u (local.get $r) (i32.const 4))))
        (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const 16))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $strips))))
  ;; packB: B panels of 4 columns for f64 tiles. B's element (p, j) is at src + p·rowStride + j·colStride;
  ;; panel jp holds B[p, 4·jp + c] at dst + ((jp·kc + p)·4 + c)·8, zero past column m. Rows are read
  ;; in order, and each step of a panel copies its `cols` valid columns and zeroes the rest.
  (func (export "packB") (param $src i32) (param $rowStride i32) (param $colStride i32) (param $m i32) (param $kc i32) (param $dst i32)
    (local $j i32) (local $cols i32) (local $p i32) (local $c i32) (local $from i32)
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $cols (select (i32.sub (local.get $m) (local.get $j)) (i32.const 4) (i32.lt_u (i32.sub (local.get $m) (local.get $j)) (i32.const 4))))
        (local.set $p (i32.const 0))
        (loop $steps
          (local.set $from (i32.add (local.get $src) (i32.add (i32.mul (local.get $p) (local.get $rowStride)) (i32.mul (local.get $j) (local.get $colStride)))))
          (local.set $c (i32.const 0))
          (loop $copy
            (f64.store (local.get $dst) (f64.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (local.get $colStride)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br_if $copy (i32.lt_u (local.get $c) (local.get $cols))))
          (block $zeroed
            (loop $zero
              (br_if $zeroed (i32.ge_u (local.get $c) (i32.const 4)))
              (f64.store (local.get $dst) (f64.const 0))
              (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br $zero)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $steps (i32.lt_u (local.get $p) (local.get $kc))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $panels))))
  ;; packBF32: B panels of 8 columns for f32 tiles. B's element (p, j) is at src + p·rowStride + j·colStride;
  ;; panel jp holds B[p, 8·jp + c] at dst + ((jp·kc + p)·8 + c)·4, zero past column m. Rows are read
  ;; in order, and each step of a panel copies its `cols` valid columns and zeroes the rest.
  (func (export "packBF32") (param $src i32) (param $rowStride i32) (param $colStride i32) (param $m i32) (param $kc i32) (param $dst i32)
    (local $j i32) (local $cols i32) (local $p i32) (local $c i32) (local $from i32)
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $j) (local.get $m)))
        (local.set $cols (select (i32.sub (local.get $m) (local.get $j)) (i32.const 8) (i32.lt_u (i32.sub (local.get $m) (local.get $j)) (i32.const 8))))
        (local.set $p (i32.const 0))
        (loop $steps
          (local.set $from (i32.add (local.get $src) (i32.add (i32.mul (local.get $p) (local.get $rowStride)) (i32.mul (local.get $j) (local.get $colStride)))))
          (local.set $c (i32.const 0))
          (loop $copy
            (f32.store (local.get $dst) (f32.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (local.get $colStride)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br_if $copy (i32.lt_u (local.get $c) (local.get $cols))))
          (block $zeroed
            (loop $zero
              (br_if $zeroed (i32.ge_u (local.get $c) (i32.const 8)))
              (f32.store (local.get $dst) (f32.const 0))
              (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br $zero)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $steps (i32.lt_u (local.get $p) (local.get $kc))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $panels))))
  ;; Squared distances over a product C = z·eᵀ still in this memory (squaredDistances):
  ;; C[i, j] = (zz[i] − 2·C[i, j]) + ee[j] for the n rows of m values, rows `rowBytes` apart, with
  ;; the rows' squared norms zz [n] and ee [m]: the plain loop fromProducts in
  ;; src/kernels/distances.ts, each operation rounded as there, so both give the same bits.
  (func (export "distances") (param $c i32) (param $zz i32) (param $ee i32) (param $n i32) (param $m i32) (param $rowBytes i32)
    (local $d i32) (local $rowEnd i32) (local $e i32) (local $z f64) (local $zs v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $n)))
      (local.set $z (f64.load (local.get $zz)))
      (local.set $zs (f64x2.splat (local.get $z)))
      (local.set $d (local.get $c))
      (local.set $rowEnd (i32.add (local.get $c) (i32.mul (local.get $m) (i32.const 8))))
      (local.set $e (local.get $ee))
      (block $done (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $rowEnd)))
        (v128.store (local.get $d) (f64x2.add
          (f64x2.sub (local.get $zs) (f64x2.add (v128.load (local.get $d)) (v128.load (local.get $d))))
          (v128.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $vectors)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $d) (local.get $rowEnd)))
        (f64.store (local.get $d) (f64.add
          (f64.sub (local.get $z) (f64.add (f64.load (local.get $d)) (f64.load (local.get $d))))
          (f64.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 8)))
        (local.set $e (i32.add (local.get $e) (i32.const 8)))
        (br $tail)))
      (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
      (local.set $zz (i32.add (local.get $zz) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $row))))
  ;; float32: zz − 2·C is rounded once from float64, as JavaScript computes it (2·C may overflow
  ;; float32 where the double does not), then + ee in float32
  (func (export "distancesF32") (param $c i32) (param $zz i32) (param $ee i32) (param $n i32) (param $m i32) (param $rowBytes i32)
    (local $d i32) (local $rowEnd i32) (local $e i32) (local $z f64) (local $zs v128) (local $v v128) (local $low v128) (local $high v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $n)))
      (local.set $z (f64.promote_f32 (f32.load (local.get $zz))))
      (local.set $zs (f64x2.splat (local.get $z)))
      (local.set $d (local.get $c))
      (local.set $rowEnd (i32.add (local.get $c) (i32.mul (local.get $m) (i32.const 4))))
      (local.set $e (local.get $ee))
      (block $done (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $rowEnd)))
        (local.set $v (v128.load (local.get $d)))
        (local.set $low (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $high (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (f64x2.sub (local.get $zs) (f64x2.add (local.get $low) (local.get $low))))
          (f32x4.demote_f64x2_zero (f64x2.sub (local.get $zs) (f64x2.add (local.get $high) (local.get $high))))))
        (v128.store (local.get $d) (f32x4.add (local.get $v) (v128.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $vectors)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $d) (local.get $rowEnd)))
        (f32.store (local.get $d) (f32.add
          (f32.demote_f64 (f64.sub (local.get $z) (f64.mul (f64.const 2) (f64.promote_f32 (f32.load (local.get $d))))))
          (f32.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br $tail)))
      (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
      (local.set $zz (i32.add (local.get $zz) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $row))))
)
