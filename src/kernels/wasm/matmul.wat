;; The matmul micro-kernel in WebAssembly SIMD: C += A·B over packed panels, float64.
;; Written by hand in the text format; `npm run build:wasm` compiles it into matmul.generated.ts.
;;
;; Layout (bytes, all float64): A is `np` panels of kc steps × 4 rows (32 bytes per step), B is
;; `mp` panels of kc steps × 4 columns, C is a row-major (4·np) × (4·mp) matrix. Each 4×4 tile of
;; C lives in eight f64x2 accumulators (two per row), fed per step by two vector loads of B and
;; four splatted scalars of A: 32 flops for 6 loads, twice the plain-JS kernel's throughput since
;; every multiply and add works on two doubles. Eleven live v128 values fit in the 16 registers.
(module
  (memory (export "memory") 1)
  (func (export "tiles") (param $a i32) (param $b i32) (param $c i32) (param $np i32) (param $mp i32) (param $kc i32)
    (local $ip i32) (local $jp i32) (local $p i32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local $rowBytes i32) (local $panelBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local.set $rowBytes (i32.shl (local.get $mp) (i32.const 5)))
    (local.set $panelBytes (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $ip (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $ip) (local.get $np)))
        (local.set $jp (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $jp) (local.get $mp)))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $ip) (local.get $panelBytes))))
            (local.set $bp (i32.add (local.get $b) (i32.mul (local.get $jp) (local.get $panelBytes))))
            (local.set $c00 (v128.const f64x2 0 0)) (local.set $c01 (v128.const f64x2 0 0))
            (local.set $c10 (v128.const f64x2 0 0)) (local.set $c11 (v128.const f64x2 0 0))
            (local.set $c20 (v128.const f64x2 0 0)) (local.set $c21 (v128.const f64x2 0 0))
            (local.set $c30 (v128.const f64x2 0 0)) (local.set $c31 (v128.const f64x2 0 0))
            (local.set $p (local.get $kc))
            (block $stepsDone
              (loop $steps
                (br_if $stepsDone (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load offset=0 (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $av (f64x2.splat (f64.load offset=0 (local.get $ap))))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $av (f64x2.splat (f64.load offset=8 (local.get $ap))))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $av (f64x2.splat (f64.load offset=16 (local.get $ap))))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $av (f64x2.splat (f64.load offset=24 (local.get $ap))))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $av) (local.get $b0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $av) (local.get $b1))))
                (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
                (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $steps)))
            (local.set $cp (i32.add (local.get $c)
              (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 2)) (local.get $rowBytes)) (i32.shl (local.get $jp) (i32.const 5)))))
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
        (br $rows)))))
