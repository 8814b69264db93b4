module example.com/asyncsvc

go 1.26.0
