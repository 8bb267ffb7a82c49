/certificate add name=badÿ
