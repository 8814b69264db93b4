module example.com/goplsfixture

go 1.26.0
