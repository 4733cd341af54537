# ns2-mathis.tcl - the square-root-law path for ns-2.35 (Debian ns2), the
# independent reference of test_cc_validate.c's test_sqrt_vs_ns2:
#   ns tests/validate/ns2-mathis.tcl Reno|Newreno P TIME SEED MINRTO
# One 1 Gb/s link, 20 ms each way, uniform per-packet loss P on a -> b,
# one-way TCP with 1460-byte segments, TCPSink (an ACK per segment), IW 3.
# Prints goodput after 10 s warm-up in bytes/s and the Mathis value.
set variant [lindex $argv 0]; set p [lindex $argv 1]; set T [lindex $argv 2]; set seed [lindex $argv 3]; set minrto [lindex $argv 4]
set ns [new Simulator]
global defaultRNG
$defaultRNG seed $seed
set a [$ns node]; set b [$ns node]
$ns duplex-link $a $b 1000Mb 20ms DropTail
$ns queue-limit $a $b 100000
set em [new ErrorModel]
$em unit pkt
$em set rate_ $p
$em ranvar [new RandomVariable/Uniform]
$em drop-target [new Agent/Null]
$ns lossmodel $em $a $b
Agent/TCP set minrto_ $minrto
set tcp [new Agent/TCP/$variant]
$tcp set packetSize_ 1460
$tcp set window_ 100000
$tcp set windowInit_ 3
set sink [new Agent/TCPSink]
$ns attach-agent $a $tcp; $ns attach-agent $b $sink; $ns connect $tcp $sink
set ftp [new Application/FTP]; $ftp attach-agent $tcp
$ns at 0.0 "$ftp start"
set b0 0
$ns at 10.0 "set b0 \[$tcp set ack_\]"
proc fin {} { global tcp T b0 variant p
  set a1 [$tcp set ack_]
  set g [expr ($a1 - $b0) * 1460.0 / ($T - 10.0)]
  set m [expr 1460.0/0.040012*sqrt(3.0/(2*$p))]
  puts [format "ns2 %s p=%s goodput %.4g B/s mathis %.4g err %+.1f%% rto %d fr %d" $variant $p $g $m [expr 100*($g/$m-1)] [$tcp set nrexmit_] [$tcp set nrexmitpack_]]
  exit 0 }
$ns at $T "fin"
$ns run
