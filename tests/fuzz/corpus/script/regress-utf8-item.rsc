/certificate sign numbers=xÿ
