module example.com/sigfixture

go 1.26.0
